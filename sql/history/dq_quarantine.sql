create table if not exists history.dq_quarantine (
    run_id varchar, source_table varchar, record_key varchar, field varchar, reason varchar, policy varchar
);
