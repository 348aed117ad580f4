-- A run whose validate stage was skipped keeps the quarantined rows of the run it carries its
-- findings from ($previous_run_id) as its own ($run_id).
insert into history.dq_quarantine
select $run_id as run_id, * exclude (run_id)
from history.dq_quarantine
where run_id = $previous_run_id
