-- The funding rounds recorded by the runs in $run_ids (the previous editions).
select * from history.edition_funding_rounds where list_contains($run_ids, run_id)
