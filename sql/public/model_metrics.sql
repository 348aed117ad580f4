select
    as_of, model_id, vendor_id, model_name, model_class, price_source, price_provider_id, price_model_id,
    input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok,
    rank_blended_usd_per_mtok, class_rank, class_size, class_percentile, class_rank_low, class_rank_high,
    active_param_share,
    input_change_90d, output_change_90d, input_change_365d, output_change_365d,
    price_cuts_365d, price_increases_365d
from marts.model_metrics
