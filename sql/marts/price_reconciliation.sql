-- The two catalogs' current prices of the same vendor model on the vendor's own platforms
-- (vendor_map.yaml `platforms:`), side by side: every pair of a genai-prices entry and a LiteLLM
-- entry that marts.lineup_entries groups into one lineup model, both listed and priced (a price
-- of zero is no price) on the as-of date. matched_by: `same model id` when the ids agree once
-- LiteLLM's provider prefix is dropped (genai-prices `mistral-large-2512` = LiteLLM
-- `mistral/mistral-large-2512`), else `same lineup model` (an alias: genai-prices `mistral-nemo`
-- answers to LiteLLM `mistral/open-mistral-nemo`). Relative differences are |litellm - genai| / genai.
with entries as (
    select * from marts.lineup_entries
    where lineup_model_id is not null and is_listed
      and (coalesce(input_usd_per_mtok, 0) > 0 or coalesce(output_usd_per_mtok, 0) > 0)
),
genai as (select * from entries where source = 'genai-prices'),
litellm as (select * from entries where source = 'litellm'),
final as (
    select
        genai.vendor_id, genai.lineup_model_id, genai.provider_id as genai_provider_id, genai.model_id as genai_model_id,
        litellm.model_id as litellm_model_id, litellm.snapshot as litellm_snapshot,
        case when litellm.bare_id = lower(genai.model_id) then 'same model id' else 'same lineup model' end as matched_by,
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
    from genai
    join litellm on litellm.vendor_id = genai.vendor_id and litellm.lineup_model_id = genai.lineup_model_id
    order by genai.vendor_id, genai.lineup_model_id, genai.model_id, litellm.model_id
)
select * from final
