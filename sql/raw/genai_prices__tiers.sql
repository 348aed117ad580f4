create table if not exists raw.genai_prices__tiers (
    snapshot varchar, provider_id varchar, model_id varchar, valid_from date, time_from time,
    price_key varchar, base_price double, tier_start_tokens bigint, tier_price double
);
