with source as (select * from raw.facts__fx_rates),
final as (
    select rate_on, currency, usd_per_unit, source as source_id from source
)
select * from final
