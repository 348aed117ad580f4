select source, snapshot, provider_id, model_id, valid_from, price_key, tier_start_tokens, tier_usd_per_mtok
from marts.price_tiers
