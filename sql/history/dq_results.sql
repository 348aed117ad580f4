create table if not exists history.dq_results (
    run_id varchar, suite varchar, expectation varchar, severity varchar, success boolean,
    observed_value varchar, unexpected_count bigint, unexpected_sample varchar, column_name varchar,
    description varchar
);
