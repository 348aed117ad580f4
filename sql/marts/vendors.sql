-- Curated vendor profiles with the latest headcount, reported funding total and revenue
-- estimate known on the run's as-of date.
with run as (select as_of from raw.run_context),
vendors as (select * from staging.stg_facts__vendors),
headcount as (
    select vendor_id, arg_max(employees, source_as_of) as headcount,
           max(source_as_of) as headcount_on, arg_max(source_id, source_as_of) as headcount_source_id
    from staging.stg_facts__headcount, run
    where source_as_of <= run.as_of
    group by vendor_id
),
reported as (
    select vendor_id, arg_max(reported_total_usd, source_as_of) as reported_total_usd,
           max(source_as_of) as reported_total_on, arg_max(source_id, source_as_of) as reported_total_source_id
    from staging.stg_facts__reported_funding_totals, run
    where source_as_of <= run.as_of
    group by vendor_id
),
revenue as (
    select vendor_id, arg_max(revenue_low_usd, source_as_of) as revenue_low_usd,
           arg_max(revenue_high_usd, source_as_of) as revenue_high_usd,
           arg_max(basis, source_as_of) as revenue_basis,
           max(source_as_of) as revenue_on, arg_max(source_id, source_as_of) as revenue_source_id
    from staging.stg_facts__revenue_estimates, run
    where source_as_of <= run.as_of
    group by vendor_id
),
final as (
    select
        vendors.vendor_id, vendors.vendor_name, vendors.hq_country, vendors.jurisdiction, vendors.is_eu,
        vendors.founded_on, vendors.founded_on_precision, vendors.founders, vendors.open_weights_stance,
        vendors.positioning, vendors.problem, vendors.target_customers, vendors.parent_company,
        headcount.headcount, headcount.headcount_on, headcount.headcount_source_id,
        reported.reported_total_usd, reported.reported_total_on, reported.reported_total_source_id,
        revenue.revenue_low_usd, revenue.revenue_high_usd, revenue.revenue_basis, revenue.revenue_on,
        revenue.revenue_source_id,
        vendors.source_id, vendors.source_as_of
    from vendors
    left join headcount using (vendor_id)
    left join reported using (vendor_id)
    left join revenue using (vendor_id)
    order by vendors.vendor_id
)
select * from final
