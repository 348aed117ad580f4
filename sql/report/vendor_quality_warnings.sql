-- This run's failed expectations that concern a vendor: those whose sample of failing rows names
-- the vendor id, one of its model ids or one of its claim ids as a JSON string. vendor_sample holds
-- only the sample rows that name it (a JSON array, in sample order): another vendor's rows never
-- show in its briefing.
with keys as (
    select vendor_id, vendor_id as key from marts.vendors
    union all
    select vendor_id, model_id as key from marts.models
    union all
    select vendor_id, claim_id as key from marts.claim_audit
),
sample_rows as (
    select q.suite, q.expectation, q.column_name, q.description, q.observed_value, q.unexpected_sample,
           unnest(try(from_json(q.unexpected_sample, '["JSON"]'))) as sample_row,
           generate_subscripts(try(from_json(q.unexpected_sample, '["JSON"]')), 1) as sample_order
    from report.run_quality q
    where not q.success
),
-- a sample row counts once for a vendor, however many of its keys (its id, a model id) it names
vendor_rows as (
    select v.vendor_id, s.suite, s.expectation, s.column_name, s.description, s.observed_value, s.unexpected_sample,
           to_json(list(s.sample_row order by s.sample_order))::varchar as vendor_sample
    from sample_rows s
    cross join marts.vendors v
    where exists (
        select 1 from keys k where k.vendor_id = v.vendor_id and contains(s.sample_row::varchar, '"' || k.key || '"')
    )
    group by all
),
final as (
    select v.vendor_id, q.suite, q.expectation, q.severity, q.observed_value, q.unexpected_count,
           q.unexpected_sample, q.column_name, q.description, r.vendor_sample
    from marts.vendors v
    join report.run_quality q on not q.success
    join vendor_rows r
      on r.vendor_id = v.vendor_id and r.suite = q.suite and r.expectation = q.expectation
     and r.column_name is not distinct from q.column_name and r.description is not distinct from q.description
     and r.observed_value is not distinct from q.observed_value
     and r.unexpected_sample is not distinct from q.unexpected_sample
)
select * from final
order by vendor_id, severity, suite, expectation, column_name, description, observed_value, unexpected_sample
