select
    as_of, source, snapshot, provider_id, model_id, model_name, vendor_id, valid_from, valid_to,
    input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok,
    is_tiered, has_time_of_day_prices, is_retired, is_deprecated, context_window_tokens, mode
from marts.prices_current
