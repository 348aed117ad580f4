-- One row per revenue estimate published by the as-of date: post-money valuation / revenue
-- (low and high), against the last valuation known on the estimate's date.
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as vendor_id,
        cast(null as double) as revenue_low_usd,
        cast(null as double) as revenue_high_usd,
        cast(null as varchar) as basis,
        cast(null as varchar) as source_id,
        cast(null as date) as source_as_of,
        cast(null as date) as valuation_on,
        cast(null as double) as post_money_valuation_usd,
        cast(null as varchar) as valuation_round_id,
        cast(null as double) as multiple_low,
        cast(null as double) as multiple_high
    where false
)
select * from final
