select
    as_of, vendor_id, model_count, open_weights_count, open_weights_share, moe_count, moe_share,
    mean_active_param_share, largest_context_window, largest_total_params_b, licences,
    catalog_only_count, deprecated_count, retired_count
from marts.vendor_lineup
