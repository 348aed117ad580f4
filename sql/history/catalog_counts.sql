-- Models listed per catalog and provider at each successful run: the drift guards' baseline.
create table if not exists history.catalog_counts (
    run_id varchar, as_of date, source varchar, provider_id varchar, model_count bigint
);
