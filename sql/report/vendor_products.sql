-- Products and platforms known on the run's as-of date (raw.run_context), by kind then name.
select p.product_id, p.vendor_id, p.product_name, p.product_kind, p.description, p.launched_on,
       p.launched_on_precision, p.source_id, p.source_as_of
from staging.stg_facts__products p
where p.source_as_of <= (select as_of from raw.run_context)
order by p.vendor_id, p.product_kind, p.product_name
