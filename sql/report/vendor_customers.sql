-- Notable customers, customer segments and channels known on the run's as-of date: customers
-- first, then segments, then channels, each by name.
select c.customer_id, c.vendor_id, c.customer_name, c.customer_kind, c.description, c.source_id, c.source_as_of
from staging.stg_facts__customers c
where c.source_as_of <= (select as_of from raw.run_context)
order by c.vendor_id, case c.customer_kind when 'customer' then 1 when 'segment' then 2 else 3 end, c.customer_name
