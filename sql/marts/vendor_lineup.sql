-- One row per vendor: counts and shares (0-1) of the curated models its lineup lists on the as-of
-- date (current or deprecated: flows/metrics/lineup.py); the largest context window of every
-- listed model; how many listed models lack curated facts and how many are deprecated or retired.
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as vendor_id,
        cast(null as bigint) as model_count,
        cast(null as bigint) as open_weights_count,
        cast(null as double) as open_weights_share,
        cast(null as bigint) as moe_count,
        cast(null as double) as moe_share,
        cast(null as double) as mean_active_param_share,
        cast(null as bigint) as largest_context_window,
        cast(null as varchar[]) as licences,
        cast(null as double) as largest_total_params_b,
        cast(null as bigint) as catalog_only_count,
        cast(null as bigint) as deprecated_count,
        cast(null as bigint) as retired_count,
        cast(null as date) as as_of
    where false
)
select * from final
