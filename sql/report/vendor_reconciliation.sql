-- Models priced by both catalogs on the vendor's own platform (marts.price_reconciliation), the
-- largest disagreement first, then by genai-prices model id and platform, and LiteLLM model id. Relative differences
-- are |litellm - genai| / genai.
select
    vendor_id, genai_provider_id, genai_model_id, litellm_model_id,
    genai_input_usd_per_mtok, litellm_input_usd_per_mtok, genai_output_usd_per_mtok, litellm_output_usd_per_mtok,
    max_relative_difference
from marts.price_reconciliation
order by vendor_id, max_relative_difference desc, genai_model_id, genai_provider_id, litellm_model_id
