-- Successful runs of a date before $as_of that recorded an edition, latest first, with the vendors
-- whose briefing each rendered: the candidates for each vendor's edition baseline.
select run_id, as_of, coalesce(json_extract_string(message, '$.rendered[*]'), []) as rendered
from history.pipeline_runs
where status = 'success' and as_of < $as_of and run_id in (select distinct run_id from history.edition_prices)
order by as_of desc, run_id desc
