-- The last successful run recorded in a published warehouse: what the next run compares its
-- inputs with (flows/run.py).
select run_id, as_of, input_hashes
from history.pipeline_runs
where status = 'success'
order by finished_at desc
limit 1
