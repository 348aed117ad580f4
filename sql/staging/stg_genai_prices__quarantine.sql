with source as (select * from raw.genai_prices__quarantine),
final as (
    select 'genai-prices' as source, snapshot, provider_id, model_id, field, reason from source
)
select * from final
