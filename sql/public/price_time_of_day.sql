select
    source, snapshot, provider_id, model_id, valid_from, valid_to, time_from, time_to, is_standard,
    time_of_day_kind, input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok
from marts.price_time_of_day
