-- Suite price_time_of_day: the number of standard windows of each model's price period.
select
    *,
    count(*) filter (where is_standard) over (partition by provider_id, model_id, valid_from) as standard_windows
from main.price_time_of_day
