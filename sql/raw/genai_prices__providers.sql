create table if not exists raw.genai_prices__providers (
    snapshot varchar, provider_id varchar, provider_name varchar, pricing_url varchar
);
