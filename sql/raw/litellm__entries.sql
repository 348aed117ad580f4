-- One row per model key per loaded snapshot; prices in USD per token, as LiteLLM gives them.
-- An alias entry (alias_of set) names another key and has no provider or prices. price_form says
-- where the prices come from: per_token, tiered_pricing (base = the tier from 0 tokens), none
-- (priced by other units or not at all) or alias.
create table if not exists raw.litellm__entries (
    snapshot_id varchar, model_key varchar, litellm_provider varchar, mode varchar,
    input_usd_per_token double, output_usd_per_token double, cache_read_usd_per_token double,
    cache_write_usd_per_token double, max_input_tokens bigint, max_output_tokens bigint,
    supports_vision boolean, supports_function_calling boolean, supports_reasoning boolean,
    supports_prompt_caching boolean, source_url varchar, deprecation_date varchar, alias_of varchar,
    price_form varchar
);
