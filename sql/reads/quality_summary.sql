-- The data-quality counts of run $run_id: failed errors, failed warnings, expectations, rows quarantined.
select
    count(*) filter (where not success and severity = 'error') as errors,
    count(*) filter (where not success and severity = 'warning') as warnings,
    count(*) as expectations,
    (select count(*) from history.dq_quarantine where run_id = $run_id) as quarantined_rows
from history.dq_results
where run_id = $run_id
