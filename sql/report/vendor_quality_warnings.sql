-- This run's failed expectations that concern a vendor: those whose sample of failing rows names
-- the vendor id or one of its model ids as a JSON string.
with keys as (
    select vendor_id, vendor_id as key from marts.vendors
    union all
    select vendor_id, model_id as key from marts.models
),
final as (
    select v.vendor_id, q.suite, q.expectation, q.severity, q.observed_value, q.unexpected_count,
           q.unexpected_sample, q.column_name, q.description
    from marts.vendors v
    join report.run_quality q on not q.success
    where exists (
        select 1 from keys k
        where k.vendor_id = v.vendor_id and contains(q.unexpected_sample, '"' || k.key || '"')
    )
)
select * from final
order by vendor_id, severity, suite, expectation, column_name, description, observed_value, unexpected_sample
