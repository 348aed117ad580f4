with source as (select * from raw.genai_prices__components),
final as (
    select 'genai-prices' as source, snapshot, provider_id, model_id, valid_from, price_key,
           price as price_usd, is_tiered
    from source
)
select * from final
