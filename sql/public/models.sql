select
    model_id, vendor_id, model_name, family, model_class, released_on, architecture,
    total_params_b, active_params_b, is_open_weights, licence, context_window_tokens,
    status, status_note, price_basis, is_free_tier,
    input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok,
    price_source, price_provider_id, price_model_id, source_id, source_as_of
from marts.models
