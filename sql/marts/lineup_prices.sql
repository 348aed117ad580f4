-- One row per lineup model of the as-of date (marts.catalog_lineup): what the briefings may do
-- with its price. <c>_disputed: the catalogs' own-platform prices of column c (input, output,
-- cache_read) differ by more than quality.reconciliation_tolerance and no curated list price
-- settles it (is_settled: one did); is_ranked: current, priced and not a free tier, so ranked,
-- compared, costed and used in claim re-checks and verdicts (excluded_because says why not:
-- retired, deprecated, free tier, no price); alt_<c>_usd_per_mtok: the price with each disputed
-- column at the other catalog's value; class ranks of curated models (class_rank_low / _high:
-- the range over both values).
-- Computed in Polars by the metrics stage (flows/metrics/prices.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as model_id,
        cast(null as varchar) as vendor_id,
        cast(null as boolean) as input_disputed,
        cast(null as boolean) as output_disputed,
        cast(null as boolean) as cache_read_disputed,
        cast(null as boolean) as is_settled,
        cast(null as boolean) as is_ranked,
        cast(null as varchar) as excluded_because,
        cast(null as double) as alt_input_usd_per_mtok,
        cast(null as double) as alt_output_usd_per_mtok,
        cast(null as double) as alt_cache_read_usd_per_mtok,
        cast(null as bigint) as class_rank,
        cast(null as bigint) as class_size,
        cast(null as bigint) as class_rank_low,
        cast(null as bigint) as class_rank_high,
        cast(null as date) as as_of
    where false
)
select * from final
