-- The price period in force on the run's as-of date, per catalog model (sql/macros/price_periods_on.sql).
with run as (select as_of from raw.run_context),
final as (
    select run.as_of, prices.*
    from marts.price_periods_on((select as_of from raw.run_context)) as prices
    cross join run
)
select * from final
