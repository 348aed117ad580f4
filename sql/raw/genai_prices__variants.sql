create table if not exists raw.genai_prices__variants (
    snapshot varchar, provider_id varchar, model_id varchar, condition varchar, starts_on date,
    price_key varchar, price double, is_tiered boolean
);
