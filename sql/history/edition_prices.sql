-- prices_current of every successful run: the baseline for the next edition's changes.
create table if not exists history.edition_prices (
    run_id varchar, as_of date, source varchar, provider_id varchar, model_id varchar, vendor_id varchar,
    input_usd_per_mtok double, output_usd_per_mtok double, cache_read_usd_per_mtok double,
    cache_write_usd_per_mtok double
);
