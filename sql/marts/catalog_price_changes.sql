-- Catalog models a curated vendor sells on its own platform (genai-prices, aliases left
-- out) whose price moved over 90 or 365 days; changes are now / then - 1.
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as source,
        cast(null as varchar) as provider_id,
        cast(null as varchar) as model_id,
        cast(null as double) as input_usd_per_mtok,
        cast(null as double) as output_usd_per_mtok,
        cast(null as bigint) as price_cuts_90d,
        cast(null as bigint) as price_increases_90d,
        cast(null as double) as input_change_90d,
        cast(null as double) as output_change_90d,
        cast(null as bigint) as price_cuts_365d,
        cast(null as bigint) as price_increases_365d,
        cast(null as double) as input_change_365d,
        cast(null as double) as output_change_365d,
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as model_name,
        cast(null as date) as as_of
    where false
)
select * from final
