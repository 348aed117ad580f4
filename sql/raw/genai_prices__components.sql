create table if not exists raw.genai_prices__components (
    snapshot varchar, provider_id varchar, model_id varchar, valid_from date,
    price_key varchar, price double, is_tiered boolean
);
