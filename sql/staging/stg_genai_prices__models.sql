with models as (select * from raw.genai_prices__models),
providers as (select * from raw.genai_prices__providers),
final as (
    select
        models.snapshot, models.provider_id, providers.provider_name, providers.pricing_url,
        models.model_id, models.model_name, models.context_window as context_window_tokens,
        models.is_deprecated, models.price_comments
    from models
    left join providers using (snapshot, provider_id)
)
select * from final
