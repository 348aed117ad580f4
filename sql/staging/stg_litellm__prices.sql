-- LiteLLM prices are per token: converted to USD per million tokens (rounded to 1e-9 to drop
-- binary noise such as 0.39999999999999997).
with source as (select * from raw.litellm__entries),
final as (
    select
        'litellm' as source, snapshot_id as snapshot, litellm_provider as provider_id,
        model_key as model_id, mode,
        round(input_usd_per_token * 1e6, 9) as input_usd_per_mtok,
        round(output_usd_per_token * 1e6, 9) as output_usd_per_mtok,
        round(cache_read_usd_per_token * 1e6, 9) as cache_read_usd_per_mtok,
        round(cache_write_usd_per_token * 1e6, 9) as cache_write_usd_per_mtok,
        max_input_tokens as context_window_tokens, max_output_tokens,
        supports_vision, supports_function_calling, supports_reasoning, supports_prompt_caching,
        source_url, try_cast(deprecation_date as date) as deprecated_on, alias_of, price_form
    from source
)
select * from final
