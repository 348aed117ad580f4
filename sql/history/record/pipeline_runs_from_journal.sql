-- Failed runs waiting in the journal beside the warehouse (the frame `journal_rows`, read by
-- flows/warehouse/store.py), those not recorded yet; columns matched by name.
insert into history.pipeline_runs by name
select * from journal_rows
where run_id not in (select run_id from history.pipeline_runs)
