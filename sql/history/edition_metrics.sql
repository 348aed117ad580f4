create table if not exists history.edition_metrics (
    run_id varchar, as_of date, vendor_id varchar, metric varchar, value double
);
