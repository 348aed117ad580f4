-- A run whose validate stage was skipped (inputs unchanged) keeps the findings of the run it
-- carries them from ($previous_run_id) as its own ($run_id), but those of the suites in
-- $skipped_suites (the metric suites, when the metrics and their suites run again).
insert into history.dq_results
select $run_id as run_id, * exclude (run_id)
from history.dq_results
where run_id = $previous_run_id and not list_contains($skipped_suites, suite)
