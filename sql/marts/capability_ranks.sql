-- One row per current lineup model (marts.catalog_lineup: curated or catalog-only, retired ones
-- left out) on the run's as-of date: its overall Arena Score and 95 % bounds on the latest LMArena text leaderboard
-- (marts.capability_current), rating_status (rated, newer_than_leaderboard, not_on_leaderboard,
-- no_leaderboard), its blended price (USD per million tokens, the run's workload profile), whether
-- it is its vendor's flagship (marts.vendor_flagships) and headline model (the flagship when rated,
-- else the vendor's best-rated current model), and where it stands against the other vendors'
-- headline models.
-- rank_best / rank_worst: its capability rank among itself and the other vendors' headline models
-- (rank_field of them): 1 + those certainly above (lower bound above its upper bound), 1 + those
-- that may be above or level (upper bound at or above its lower bound); two models whose intervals
-- overlap are never ranked apart. level_with: those headline models whose intervals overlap its
-- own; above: those certainly above it; each highest score first.
-- on_vendor_frontier / on_market_frontier / on_headline_frontier: no rated, priced model of its
-- vendor / of any vendor / no rated, priced headline model is as cheap or cheaper and as capable
-- or more (strictly better on one); NULL for a model without a score or a price (and for other
-- models than headline ones on the headline frontier).
-- Computed in Polars by the metrics stage (flows/metrics/capability.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as date) as as_of,
        cast(null as varchar) as model_id,
        cast(null as varchar) as vendor_id,
        cast(null as varchar) as model_name,
        cast(null as varchar) as model_class,
        cast(null as date) as released_on,
        cast(null as boolean) as is_flagship,
        cast(null as boolean) as is_headline,
        cast(null as date) as leaderboard_on,
        cast(null as varchar) as leaderboard_origin,
        cast(null as varchar) as arena_model,
        cast(null as double) as score,
        cast(null as double) as score_low,
        cast(null as double) as score_high,
        cast(null as varchar) as rating_status,
        cast(null as varchar) as profile,
        cast(null as double) as blended_usd_per_mtok,
        cast(null as bigint) as rank_best,
        cast(null as bigint) as rank_worst,
        cast(null as bigint) as rank_field,
        cast(null as varchar[]) as level_with,
        cast(null as varchar[]) as above,
        cast(null as boolean) as on_vendor_frontier,
        cast(null as boolean) as on_market_frontier,
        cast(null as boolean) as on_headline_frontier
    where false
)
select * from final
