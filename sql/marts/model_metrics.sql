-- One row per curated model released by the as-of date: its price in force that day, its rank
-- in its class for the run's workload profile (only current, priced, non-free models are ranked;
-- class_rank_low / _high: the range when a disputed price is also ranked at the other catalog's
-- value), its architecture and its catalog price moves over 90 and 365 days. Prices in USD per
-- million tokens; changes are now / then - 1.
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
        cast(null as double) as rank_blended_usd_per_mtok,
        cast(null as bigint) as class_rank,
        cast(null as bigint) as class_size,
        cast(null as double) as class_percentile,
        cast(null as bigint) as class_rank_low,
        cast(null as bigint) as class_rank_high,
        cast(null as double) as active_param_share,
        cast(null as bigint) as price_cuts_90d,
        cast(null as bigint) as price_increases_90d,
        cast(null as double) as input_change_90d,
        cast(null as double) as output_change_90d,
        cast(null as bigint) as price_cuts_365d,
        cast(null as bigint) as price_increases_365d,
        cast(null as double) as input_change_365d,
        cast(null as double) as output_change_365d,
        cast(null as date) as as_of
    where false
)
select * from final
