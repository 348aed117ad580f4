select
    leaderboard_on, category, arena_model, model_id, vendor_id, score, score_low, score_high, rank_in_category
from marts.capability_scores
