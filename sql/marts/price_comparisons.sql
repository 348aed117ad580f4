-- Every priced curated model against every reference model, for every workload profile:
-- blended prices (USD/Mtok), ratios (model / reference), monthly costs (USD) and switch_saving
-- (1 - blended_ratio).
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as model_id,
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as model_name,
        cast(null as varchar) as model_class,
        cast(null as date) as released_on,
        cast(null as boolean) as is_open_weights,
        cast(null as varchar) as architecture,
        cast(null as double) as total_params_b,
        cast(null as double) as active_params_b,
        cast(null as bigint) as context_window_tokens,
        cast(null as varchar) as licence,
        cast(null as varchar) as price_source,
        cast(null as varchar) as price_provider_id,
        cast(null as varchar) as price_model_id,
        cast(null as date) as price_valid_from,
        cast(null as double) as input_usd_per_mtok,
        cast(null as double) as output_usd_per_mtok,
        cast(null as double) as cache_read_usd_per_mtok,
        cast(null as varchar) as reference_model_id,
        cast(null as double) as reference_input_usd_per_mtok,
        cast(null as double) as reference_output_usd_per_mtok,
        cast(null as double) as reference_cache_read_usd_per_mtok,
        cast(null as varchar) as profile,
        cast(null as double) as blended_usd_per_mtok,
        cast(null as double) as reference_blended_usd_per_mtok,
        cast(null as double) as input_ratio,
        cast(null as double) as output_ratio,
        cast(null as double) as blended_ratio,
        cast(null as double) as monthly_cost_usd,
        cast(null as double) as reference_monthly_cost_usd,
        cast(null as double) as switch_saving,
        cast(null as date) as as_of
    where false
)
select * from final
