create table if not exists raw.litellm__tiers (
    snapshot_id varchar, model_key varchar, price_key varchar, tier_start_tokens bigint, tier_usd_per_token double
);
