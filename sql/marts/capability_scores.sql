-- One Arena Score (points) per leaderboard date x category x arena model, with its 95 % bounds,
-- the curated model it maps to (NULL when none) and its rank in the category (1 = highest score;
-- equal scores share a rank). `full` is the overall category.
with boards as (select * from staging.stg_lmarena__leaderboards),
scores as (select * from staging.stg_lmarena__scores),
names as (select * from marts.capability_model_map),
final as (
    select
        boards.leaderboard_on, scores.category, scores.arena_model, names.model_id, names.vendor_id,
        scores.score, scores.score_low, scores.score_high,
        rank() over (partition by boards.leaderboard_on, scores.category order by scores.score desc) as rank_in_category
    from scores
    join boards on boards.leaderboard_id = scores.leaderboard_id
    left join names on names.arena_model = scores.arena_model
    order by boards.leaderboard_on, scores.category, rank_in_category, scores.arena_model
)
select * from final
