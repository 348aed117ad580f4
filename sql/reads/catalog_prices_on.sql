-- The catalog prices in force on $day (sql/macros/price_periods_on.sql), the columns the price
-- change metrics read.
select source, provider_id, model_id, input_usd_per_mtok, output_usd_per_mtok
from marts.price_periods_on($day)
