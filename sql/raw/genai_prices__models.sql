create table if not exists raw.genai_prices__models (
    snapshot varchar, provider_id varchar, model_id varchar, model_name varchar,
    context_window bigint, is_deprecated boolean, price_comments varchar
);
