-- genai-prices' match clauses, one row per condition (raw.genai_prices__match_clauses).
with source as (select * from raw.genai_prices__match_clauses),
final as (
    select 'genai-prices' as source, snapshot, provider_id, model_id, model_order, branch, kind, pattern, is_portable
    from source
)
select * from final
