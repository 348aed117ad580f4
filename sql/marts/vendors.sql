-- Curated vendor profiles with the latest headcount, reported funding total and revenue
-- estimate known on the run's as-of date.
with run as (select as_of from raw.run_context),
vendors as (select * from staging.stg_facts__vendors),
-- The latest observation of each kind on or before the as-of date, taken whole (a newer
-- estimate without a high end must not borrow the high end of an older one).
headcount as (
    select vendor_id, employees as headcount, source_as_of as headcount_on, source_id as headcount_source_id
    from staging.stg_facts__headcount, run
    where source_as_of <= run.as_of
    qualify row_number() over (partition by vendor_id order by source_as_of desc, employees desc) = 1
),
reported as (
    select vendor_id, reported_total_usd, source_as_of as reported_total_on, source_id as reported_total_source_id
    from staging.stg_facts__reported_funding_totals, run
    where source_as_of <= run.as_of
    qualify row_number() over (partition by vendor_id order by source_as_of desc, reported_total_usd desc) = 1
),
revenue as (
    select vendor_id, revenue_low_usd, revenue_high_usd, basis as revenue_basis, source_as_of as revenue_on,
           source_id as revenue_source_id
    from staging.stg_facts__revenue_estimates, run
    where source_as_of <= run.as_of
    qualify row_number() over (partition by vendor_id order by source_as_of desc, revenue_low_usd desc) = 1
),
final as (
    select
        vendors.vendor_id, vendors.vendor_name, vendors.hq_country, vendors.jurisdiction, vendors.is_eu,
        vendors.founded_on, vendors.founded_on_precision, vendors.founders, vendors.open_weights_stance,
        -- profile texts only from a source published by the as-of date
        case when vendors.profile_source_as_of <= run.as_of then vendors.positioning end as positioning,
        case when vendors.profile_source_as_of <= run.as_of then vendors.problem end as problem,
        case when vendors.profile_source_as_of <= run.as_of then vendors.target_customers end as target_customers,
        case when vendors.profile_source_as_of <= run.as_of then vendors.profile_source_id end as profile_source_id,
        case when vendors.profile_source_as_of <= run.as_of then vendors.profile_source_as_of end as profile_source_as_of,
        vendors.parent_company,
        vendors.funding_rounds_complete,
        headcount.headcount, headcount.headcount_on, headcount.headcount_source_id,
        reported.reported_total_usd, reported.reported_total_on, reported.reported_total_source_id,
        revenue.revenue_low_usd, revenue.revenue_high_usd, revenue.revenue_basis, revenue.revenue_on,
        revenue.revenue_source_id,
        vendors.source_id, vendors.source_as_of
    from vendors
    cross join run
    left join headcount using (vendor_id)
    left join reported using (vendor_id)
    left join revenue using (vendor_id)
    order by vendors.vendor_id
)
select * from final
