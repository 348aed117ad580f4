with models as (select * from raw.genai_prices__models),
final as (
    select
        snapshot, provider_id, model_id, model_name, context_window as context_window_tokens,
        is_deprecated, price_comments
    from models
)
select * from final
