-- What changed since each vendor's previous edition. Catalog kinds (new_model, retired_model,
-- price_change) carry the catalog's provider id (platform) and model id (catalog_model_id);
-- subject is the readable form of the same thing. before_value and after_value are the values in
-- USD text; before_numbers and after_numbers the same values as numbers of `unit` (usd,
-- usd_per_mtok_pair: [input, output], usd_per_mtok, ratio, share, multiple, days, count) for
-- editions in another currency (flows/metrics/changes.py).
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
        cast(null as varchar) as catalog_model_id,
        cast(null as varchar) as unit,
        cast(null as double []) as before_numbers,
        cast(null as double []) as after_numbers
    where false
)
select * from final
