-- One row per curated claim made by the as-of date: recomputed on the claim's date
-- (computed_value, status) and again on the as-of date (current_*); operands is JSON.
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as date) as as_of,
        cast(null as varchar) as claim_id,
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as claim_text,
        cast(null as varchar) as metric,
        cast(null as varchar) as price_component,
        cast(null as varchar) as comparison,
        cast(null as varchar) as subject,
        cast(null as varchar) as reference,
        cast(null as double) as stated_value,
        cast(null as date) as evaluated_on,
        cast(null as double) as computed_value,
        cast(null as double) as relative_error,
        cast(null as varchar) as status,
        cast(null as varchar) as detail,
        cast(null as varchar) as operands,
        cast(null as double) as current_value,
        cast(null as varchar) as current_status,
        cast(null as varchar) as current_detail,
        cast(null as varchar) as source_id
    where false
)
select * from final
