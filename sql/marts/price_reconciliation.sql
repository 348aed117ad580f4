-- Current prices of the same vendor model in both catalogs, side by side: pairs of model ids
-- that agree once LiteLLM's provider prefix is dropped (genai-prices mistral `mistral-large-2512` = LiteLLM
-- `mistral/mistral-large-2512`), on the vendor's own platform in both catalogs.
-- Relative differences are |litellm - genai| / genai.
with genai as (select * from marts.prices_current where source = 'genai-prices' and vendor_id is not null),
litellm as (select * from marts.prices_current where source = 'litellm' and vendor_id is not null),
first_party as (
    select genai.provider_id as genai_provider_id, genai.model_id as genai_model_id,
           litellm.model_id as litellm_model_id, 'same model id' as matched_by
    from genai
    join litellm
        on litellm.vendor_id = genai.vendor_id
        and genai.provider_id = genai.vendor_id
        and lower(regexp_replace(litellm.model_id, '^[^/]+/', '')) = lower(genai.model_id)
),
-- Only the vendor's own platform on both sides: other hosts set their own prices.
first_party_providers as (
    select * from (values ('openai', 'openai'), ('anthropic', 'anthropic'), ('mistral', 'mistral'),
        ('mistral', 'codestral'), ('google', 'gemini'), ('deepseek', 'deepseek'), ('x-ai', 'xai'),
        ('cohere', 'cohere'), ('cohere', 'cohere_chat'), ('meta', 'meta_llama')) as t(vendor_id, litellm_provider_id)
),
pairs as (
    select genai_provider_id, genai_model_id, litellm_model_id, min(matched_by) as matched_by
    from first_party
    group by all
),
final as (
    select
        genai.vendor_id, pairs.genai_provider_id, pairs.genai_model_id, pairs.litellm_model_id,
        litellm.snapshot as litellm_snapshot, pairs.matched_by,
        genai.input_usd_per_mtok as genai_input_usd_per_mtok, litellm.input_usd_per_mtok as litellm_input_usd_per_mtok,
        genai.output_usd_per_mtok as genai_output_usd_per_mtok, litellm.output_usd_per_mtok as litellm_output_usd_per_mtok,
        abs(litellm.input_usd_per_mtok - genai.input_usd_per_mtok) / nullif(genai.input_usd_per_mtok, 0)
            as input_relative_difference,
        abs(litellm.output_usd_per_mtok - genai.output_usd_per_mtok) / nullif(genai.output_usd_per_mtok, 0)
            as output_relative_difference,
        greatest(
            coalesce(abs(litellm.input_usd_per_mtok - genai.input_usd_per_mtok) / nullif(genai.input_usd_per_mtok, 0), 0),
            coalesce(abs(litellm.output_usd_per_mtok - genai.output_usd_per_mtok) / nullif(genai.output_usd_per_mtok, 0), 0)
        ) as max_relative_difference
    from pairs
    join genai on genai.provider_id = pairs.genai_provider_id and genai.model_id = pairs.genai_model_id
    join litellm on litellm.model_id = pairs.litellm_model_id
    join first_party_providers
        on first_party_providers.vendor_id = genai.vendor_id
        and genai.provider_id = genai.vendor_id
        and litellm.provider_id = first_party_providers.litellm_provider_id
    where genai.input_usd_per_mtok is not null or genai.output_usd_per_mtok is not null
)
select * from final
