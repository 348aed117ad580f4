create table if not exists raw.facts__models (
    model_id varchar, vendor_id varchar, name varchar, family varchar, model_class varchar,
    released_on date, date_precision varchar, architecture varchar, total_params_b double,
    active_params_b double, open_weights boolean, licence varchar, context_window_tokens bigint,
    source varchar, as_of date
);
