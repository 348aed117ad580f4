-- One row per vendor: its flagship on the as-of date (the newest current model of its
-- flagship_families on its own platform, flows/metrics/flagships.py; NULL when it has none), the
-- family it belongs to, the date it is newest by (release date, else first seen in the catalogs)
-- and the reference model it is compared with (the first of briefing.reference_models made by
-- another vendor that may be compared that day: current, priced, not a free tier; NULL when none).
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as flagship_model_id,
        cast(null as varchar) as flagship_family,
        cast(null as date) as flagship_since,
        cast(null as varchar) as reference_model_id
    where false
)
select * from final
