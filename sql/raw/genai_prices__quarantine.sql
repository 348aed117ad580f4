-- Providers and models of a fetched genai-prices data file refused at load, with the reason
-- (model_id NULL: the whole provider).
create table if not exists raw.genai_prices__quarantine (
    snapshot varchar, provider_id varchar, model_id varchar, field varchar, reason varchar
);
