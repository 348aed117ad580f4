-- One row per price period and time-of-day segment of each snapshot; prices in USD per million
-- tokens. is_main marks the one segment of a period price_history shows; time_of_day_kind is
-- standard (the price in force for the largest share of the day), peak or off-peak, NULL for a
-- price without time-of-day windows.
create table if not exists raw.genai_prices__prices (
    snapshot varchar, provider_id varchar, model_id varchar, valid_from date, valid_to date,
    time_from time, time_to time, is_main boolean, input_mtok double, output_mtok double,
    cache_read_mtok double, cache_write_mtok double, is_tiered boolean, time_of_day_kind varchar
);
