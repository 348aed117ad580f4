-- Subscription and enterprise plans known on the run's as-of date (raw.run_context).
select p.plan_id, p.vendor_id, p.plan_name, p.plan_kind, p.price_per_month, p.currency, p.source_id, p.source_as_of
from staging.stg_facts__plans p
where p.source_as_of <= (select as_of from raw.run_context)
order by p.vendor_id, p.plan_id
