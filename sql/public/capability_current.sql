select
    as_of, model_id, vendor_id, model_name, model_class, released_on, leaderboard_on, category, arena_model,
    variant, score, score_low, score_high, rank_in_category, category_size, leaderboard_origin, is_curated,
    first_listed_on
from marts.capability_current
