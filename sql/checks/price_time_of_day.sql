-- Suite price_time_of_day: the number of distinct standard prices of each model's price period
-- (the standard price may be in force in several windows of the day).
select
    *,
    count(distinct (input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok))
        filter (where is_standard) over (partition by provider_id, model_id, valid_from) as standard_prices
from main.price_time_of_day
