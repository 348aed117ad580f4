create table if not exists raw.facts__model_list_prices (
    model_id varchar, input_usd_per_mtok double, output_usd_per_mtok double, source varchar, as_of date
);
