-- Curated vendor profiles with the headline headcount, reported funding total and revenue
-- estimate known on the run's as-of date. Headline figures prefer the best source tier
-- (staging.stg_facts__sources: official, press, aggregator, unrated), then the freshest, among the
-- observations that overlap the latest one: those dated at most 180 days before it (older ones are
-- history, not a competing value). Each observation is taken whole (a newer estimate without a
-- high end must not borrow the high end of an older one). reported_total_is_lower_bound: the
-- headline reported total is a minimum ("more than $3.1B").
with run as (select as_of from raw.run_context),
vendors as (select * from staging.stg_facts__vendors),
tiers as (select source_id, tier, tier_rank from staging.stg_facts__sources),
-- Observations known on the as-of date that overlap the vendor's latest one of the same kind.
headcount_overlapping as (
    select h.* from staging.stg_facts__headcount h cross join run where h.source_as_of <= run.as_of
    qualify h.source_as_of >= max(h.source_as_of) over (partition by h.vendor_id) - interval 180 day
),
reported_overlapping as (
    select t.* from staging.stg_facts__reported_funding_totals t cross join run where t.source_as_of <= run.as_of
    qualify t.source_as_of >= max(t.source_as_of) over (partition by t.vendor_id) - interval 180 day
),
revenue_overlapping as (
    select e.* from staging.stg_facts__revenue_estimates e cross join run where e.source_as_of <= run.as_of
    qualify e.source_as_of >= max(e.source_as_of) over (partition by e.vendor_id) - interval 180 day
),
headcount as (
    select vendor_id, employees as headcount, source_as_of as headcount_on, source_id as headcount_source_id,
           coalesce(tiers.tier, 'unrated') as headcount_tier
    from headcount_overlapping left join tiers using (source_id)
    qualify row_number() over (partition by vendor_id order by coalesce(tiers.tier_rank, 4), source_as_of desc,
                               employees desc, source_id) = 1
),
reported as (
    select vendor_id, reported_total_usd, covers as reported_total_covers, source_as_of as reported_total_on,
           source_id as reported_total_source_id, coalesce(tiers.tier, 'unrated') as reported_total_tier,
           is_lower_bound as reported_total_is_lower_bound
    from reported_overlapping left join tiers using (source_id)
    qualify row_number() over (partition by vendor_id order by coalesce(tiers.tier_rank, 4), source_as_of desc,
                               reported_total_usd desc, source_id) = 1
),
revenue as (
    select vendor_id, revenue_low_usd, revenue_high_usd, basis as revenue_basis, source_as_of as revenue_on,
           source_id as revenue_source_id, coalesce(tiers.tier, 'unrated') as revenue_tier
    from revenue_overlapping left join tiers using (source_id)
    qualify row_number() over (partition by vendor_id order by coalesce(tiers.tier_rank, 4), source_as_of desc,
                               revenue_low_usd desc, revenue_high_usd desc nulls last, source_id) = 1
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
        headcount.headcount, headcount.headcount_on, headcount.headcount_source_id, headcount.headcount_tier,
        reported.reported_total_usd, reported.reported_total_covers, reported.reported_total_on,
        reported.reported_total_source_id, reported.reported_total_tier, reported.reported_total_is_lower_bound,
        revenue.revenue_low_usd, revenue.revenue_high_usd, revenue.revenue_basis, revenue.revenue_on,
        revenue.revenue_source_id, revenue.revenue_tier,
        vendors.source_id, vendors.source_as_of
    from vendors
    cross join run
    left join headcount using (vendor_id)
    left join reported using (vendor_id)
    left join revenue using (vendor_id)
    order by vendors.vendor_id
)
select * from final
