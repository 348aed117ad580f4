-- For the run's as-of date: the latest leaderboard on or before it and each curated model's overall
-- Arena Score in it (NULL when the model is not on it: "not rated (leaderboard of <leaderboard_on>)";
-- leaderboard_on is NULL too when no leaderboard is that old). Which leaderboard and which arena
-- entry: sql/macros/capability_on.sql.
with run as (select as_of from raw.run_context),
rated as (select * from marts.capability_on((select as_of from raw.run_context))),
board as (select distinct leaderboard_on, leaderboard_origin, category_size from rated),
final as (
    select
        run.as_of, models.model_id, models.vendor_id, models.model_name, models.model_class, models.released_on,
        board.leaderboard_on, 'full' as category, rated.arena_model, rated.variant,
        rated.score, rated.score_low, rated.score_high, rated.rank_in_category,
        board.category_size,
        board.leaderboard_origin
    from marts.models as models
    cross join run
    left join board on true
    left join rated on rated.model_id = models.model_id
    order by models.vendor_id, models.model_id
)
select * from final
