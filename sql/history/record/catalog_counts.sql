-- Models listed per catalog and provider in this edition: the drift guards' baseline. Run by the
-- metrics stage with $run_id and $as_of.
insert into history.catalog_counts
select $run_id, $as_of, source, provider_id, count(distinct model_id)
from marts.prices_current
group by all
