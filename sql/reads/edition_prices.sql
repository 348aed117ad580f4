-- The catalog prices recorded by the runs in $run_ids (the previous editions).
select * from history.edition_prices where list_contains($run_ids, run_id)
