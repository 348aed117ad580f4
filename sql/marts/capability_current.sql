-- For the run's as-of date: the latest leaderboard on or before it and the overall Arena Score in
-- it of each lineup model: every curated model (marts.models) and every catalog-only model the
-- vendors' own platforms list (marts.catalog_lineup, not retired). Score NULL when the model is not
-- on it: "not rated (leaderboard of <leaderboard_on>)"; a model first listed or released after
-- leaderboard_on is newer than the leaderboard. leaderboard_on is NULL too when no leaderboard is
-- that old. Which leaderboard and which arena entry: sql/macros/capability_on.sql.
-- first_listed_on: the earliest day a catalog lists the model on its vendor's own platform.
with run as (select as_of from raw.run_context),
rated as (select * from marts.capability_on((select as_of from raw.run_context))),
board as (select distinct leaderboard_on, leaderboard_origin, category_size from rated),
lineup as (
    select
        lineup.model_id, lineup.vendor_id, lineup.model_name, lineup.model_class, lineup.released_on,
        lineup.is_curated, lineup.first_seen_on as first_listed_on
    from marts.catalog_lineup as lineup
    where lineup.is_curated or lineup.status <> 'retired'
),
final as (
    select
        run.as_of, lineup.model_id, lineup.vendor_id, lineup.model_name, lineup.model_class, lineup.released_on,
        board.leaderboard_on, 'full' as category, rated.arena_model, rated.variant,
        rated.score, rated.score_low, rated.score_high, rated.rank_in_category,
        board.category_size,
        board.leaderboard_origin,
        lineup.is_curated, lineup.first_listed_on
    from lineup
    cross join run
    left join board on true
    left join rated on rated.model_id = lineup.model_id and rated.vendor_id = lineup.vendor_id
    order by lineup.vendor_id, lineup.model_id
)
select * from final
