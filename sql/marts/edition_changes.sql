-- What changed since each vendor's previous edition. Catalog kinds (new_model, retired_model,
-- price_change) carry the catalog's provider id (platform) and model id (catalog_model_id);
-- subject is the readable form of the same thing.
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as run_id,
        cast(null as varchar) as previous_run_id,
        cast(null as varchar) as kind,
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as subject,
        cast(null as varchar) as before_value,
        cast(null as varchar) as after_value,
        cast(null as double) as change,
        cast(null as varchar) as platform,
        cast(null as varchar) as catalog_model_id
    where false
)
select * from final
