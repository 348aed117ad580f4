-- A finished run, recorded in the build it publishes (flows/warehouse/store.py record_run).
-- $input_hashes is a map of fingerprint name to hash.
insert into history.pipeline_runs
values ($run_id, $as_of, $started_at, $finished_at, $status, $vendors, $stages_run, $stages_skipped,
        map($hash_names, $hash_values), $message)
