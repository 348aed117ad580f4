-- Rows this run kept out of the published tables (history.dq_quarantine of the run in raw.run_context).
select q.run_id, q.source_table, q.record_key, q.field, q.reason, q.policy
from history.dq_quarantine q
join raw.run_context r using (run_id)
order by q.source_table, q.record_key, q.field, q.reason
