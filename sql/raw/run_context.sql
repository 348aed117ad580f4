create table if not exists raw.run_context (
    run_id varchar, as_of date, vendors varchar[]
);
