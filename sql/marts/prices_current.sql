-- The price period in force on the run's as-of date, per catalog model.
with run as (select as_of from raw.run_context),
final as (
    select run.as_of, price_history.*
    from marts.price_history as price_history
    cross join run
    where (price_history.valid_from is null or price_history.valid_from <= run.as_of)
      and (price_history.valid_to is null or price_history.valid_to > run.as_of)
)
select * from final
