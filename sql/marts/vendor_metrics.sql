-- One row per vendor and metric: the numbers the verdict rules and the metric-move changes read.
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as metric,
        cast(null as double) as value,
        cast(null as date) as as_of
    where false
)
select * from final
