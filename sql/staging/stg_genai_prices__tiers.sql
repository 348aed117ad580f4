with source as (select * from raw.genai_prices__tiers),
final as (
    select
        'genai-prices' as source, snapshot, provider_id, model_id, valid_from, time_from,
        regexp_replace(price_key, '_mtok$', '') as price_key,
        base_price as base_usd_per_mtok, tier_start_tokens, tier_price as tier_usd_per_mtok
    from source
)
select * from final
