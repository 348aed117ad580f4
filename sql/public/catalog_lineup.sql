select
    as_of, vendor_id, model_id, model_name, is_curated, model_class, released_on, first_seen_on, aliases,
    context_window_tokens, status, status_note, unlisted_since, retires_on, flagship_family,
    price_basis, price_source, price_provider_id, price_model_id,
    input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, is_free_tier, is_cache_read_zero,
    genai_model_id, genai_input_usd_per_mtok, genai_output_usd_per_mtok,
    litellm_model_id, litellm_input_usd_per_mtok, litellm_output_usd_per_mtok,
    input_relative_difference, output_relative_difference,
    hosted_count, hosted_input_min, hosted_input_max, hosted_output_min, hosted_output_max, hosted_providers
from marts.catalog_lineup
