-- Suite stg_lmarena__model_pairs: its relation with the derived columns its expectations check.
select pairs.*, exists (select 1 from staging.stg_lmarena__scores as scores where scores.arena_model = pairs.arena_model) as is_on_a_leaderboard from staging.stg_lmarena__model_pairs as pairs
