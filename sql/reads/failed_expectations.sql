-- The failed expectations of run $run_id, for the Prefect UI's data-quality artifact.
select suite, expectation, severity, success, unexpected_count, unexpected_sample
from history.dq_results
where run_id = $run_id and not success
order by severity, suite, expectation, column_name, unexpected_sample
