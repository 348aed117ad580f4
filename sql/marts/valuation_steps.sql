-- One row per funding round with a post-money valuation: the step-up against the vendor's
-- previous valued round (step_up_multiple = post-money / previous post-money).
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as round_id,
        cast(null as varchar) as round_name,
        cast(null as date) as announced_on,
        cast(null as double) as post_money_valuation_usd,
        cast(null as varchar) as previous_round_id,
        cast(null as double) as previous_post_money_usd,
        cast(null as double) as step_up_multiple,
        cast(null as boolean) as is_down_round
    where false
)
select * from final
