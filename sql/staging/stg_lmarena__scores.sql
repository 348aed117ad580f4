-- Arena Score points; score_low and score_high are the 95 % bounds (rating_q025, rating_q975).
with source as (select * from raw.lmarena__scores),
final as (
    select
        leaderboard_id, category, arena_model,
        rating as score, rating_q025 as score_low, rating_q975 as score_high
    from source
)
select * from final
