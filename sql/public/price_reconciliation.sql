select vendor_id, lineup_model_id, genai_provider_id, genai_model_id, litellm_model_id, litellm_snapshot, matched_by,
       genai_input_usd_per_mtok, litellm_input_usd_per_mtok, genai_output_usd_per_mtok, litellm_output_usd_per_mtok,
       input_relative_difference, output_relative_difference, max_relative_difference
from marts.price_reconciliation
