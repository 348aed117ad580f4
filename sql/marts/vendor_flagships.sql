-- One row per vendor: its flagship (the latest-released priced flagship-class model, else the
-- latest flagship-class model; NULL when it has none) and the reference model its flagship is
-- compared with (the first of briefing.reference_models made by another vendor; NULL when none).
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as flagship_model_id,
        cast(null as varchar) as reference_model_id
    where false
)
select * from final
