create table if not exists history.pipeline_runs (
    run_id varchar, as_of date, started_at timestamptz, finished_at timestamptz, status varchar,
    vendors varchar[], stages_run varchar[], stages_skipped varchar[],
    input_hashes map(varchar, varchar), message varchar
);
