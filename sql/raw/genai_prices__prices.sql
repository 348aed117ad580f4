-- One row per price period and time-of-day segment; prices in USD per million tokens.
create table if not exists raw.genai_prices__prices (
    snapshot varchar, provider_id varchar, model_id varchar, valid_from date, valid_to date,
    time_from time, time_to time, is_main boolean, input_mtok double, output_mtok double,
    cache_read_mtok double, cache_write_mtok double, is_tiered boolean
);
