select
    as_of, vendor_id, price_provider_id as provider_id, price_model_id as model_id, model_id as curated_model_id,
    model_class, reference_model_id, profile,
    input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok,
    reference_input_usd_per_mtok, reference_output_usd_per_mtok,
    input_ratio, output_ratio, blended_usd_per_mtok, reference_blended_usd_per_mtok, blended_ratio,
    monthly_cost_usd, reference_monthly_cost_usd, switch_saving, price_source
from marts.price_comparisons
