-- One row per vendor: the edition its changes compare with (NULL when there is none).
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as run_id,
        cast(null as date) as as_of,
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as previous_run_id,
        cast(null as date) as previous_as_of
    where false
)
select * from final
