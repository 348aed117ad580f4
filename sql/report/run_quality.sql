-- This run's data-quality results (history.dq_results of the run in raw.run_context): one row per
-- expectation checked, severity error or warning.
select q.run_id, q.suite, q.expectation, q.severity, q.success, q.observed_value, q.unexpected_count,
       q.unexpected_sample, q.column_name, q.description
from history.dq_results q
join raw.run_context r using (run_id)
order by q.suite, q.expectation, q.column_name, q.severity, q.description, q.observed_value, q.unexpected_sample
