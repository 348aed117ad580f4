-- Catalog entries that both price catalogs price (marts.price_reconciliation), with the largest
-- relative difference found for the entry: genai-prices entries by provider and model id, LiteLLM
-- entries by model id (provider_id NULL). An entry is disputed when max_relative_difference
-- exceeds quality.reconciliation_tolerance (data/config/quality.yaml); the report applies it.
with genai as (
    select 'genai-prices' as source, genai_provider_id as provider_id, genai_model_id as model_id,
           max(max_relative_difference) as max_relative_difference
    from marts.price_reconciliation
    group by all
),
litellm as (
    select 'litellm' as source, cast(null as varchar) as provider_id, litellm_model_id as model_id,
           max(max_relative_difference) as max_relative_difference
    from marts.price_reconciliation
    group by all
),
final as (
    select * from genai
    union all
    select * from litellm
)
select * from final
order by source, provider_id, model_id
