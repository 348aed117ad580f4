-- Every company fact a briefing may show, known on the run's as-of date: headcounts, reported
-- funding totals, revenue estimates, funding rounds (their USD amount), valuations and the
-- founding date. Per fact: the date it states (fact_on: the observation's as-of date, a round's
-- or valuation's announcement, the founding date), its age in days on the as-of date, the sources
-- that back it (a round: its source, the source of a stated USD amount, the source of its split)
-- and the best tier among them (tier_rank 1 official, 2 press, 3 aggregator, 4 unrated: a URL or
-- a source without a tier). in_window marks headcounts, totals and revenue estimates dated at most
-- 180 days before the vendor's latest one of the same kind: the observations marts.vendors chooses
-- its headline from, and that conflict when they disagree. A round's valuation comes with the
-- valuations other sources report for the same round (fact reported_valuation, from
-- staging.stg_facts__reported_valuations, converted at the round's own valuation rate): two values
-- for one round are a dispute.
-- is_lower_bound: the source gives a minimum ("more than 350 people", "$40B+").
with run as (select as_of from raw.run_context),
tiers as (select source_id, tier_rank from staging.stg_facts__sources),
facts as (
    select vendor_id, 'headcount' as fact, cast(null as varchar) as subject, cast(employees as double) as value,
           cast(null as double) as value_high, source_as_of as fact_on, source_id, [source_id] as source_ids,
           is_lower_bound
    from staging.stg_facts__headcount
    union all
    select vendor_id, 'reported_total', covers, reported_total_usd, null, source_as_of, source_id, [source_id],
           is_lower_bound
    from staging.stg_facts__reported_funding_totals
    union all
    select vendor_id, 'revenue', basis, revenue_low_usd, revenue_high_usd, source_as_of, source_id, [source_id],
           revenue_high_usd is null
    from staging.stg_facts__revenue_estimates
    union all
    select vendor_id, 'round', round_id, amount_usd, null, announced_on, source_id,
           list_filter([source_id, stated_amount_usd_source_id, parts_source_id], lambda s: s is not null),
           amount_is_lower_bound
    from marts.funding_rounds
    union all
    select vendor_id, 'valuation', round_id, post_money_valuation_usd, null, announced_on, source_id, [source_id],
           valuation_is_lower_bound
    from marts.funding_rounds
    where post_money_valuation_usd is not null
    union all
    select
        v.vendor_id, 'reported_valuation', v.round_id,
        case when v.valuation_currency = 'USD' then v.post_money_valuation
             else v.post_money_valuation * r.valuation_fx_usd_per_unit end,
        null, v.source_as_of, v.source_id, [v.source_id], false
    from staging.stg_facts__reported_valuations v
    join marts.funding_rounds r on v.vendor_id = r.vendor_id and v.round_id = r.round_id
    union all
    select vendor_id, 'founding', null, null, null, founded_on, source_id, [source_id], false
    from staging.stg_facts__vendors
),
known as (
    select row_number() over (order by vendor_id, fact, fact_on, subject, value, source_id) as fact_key, facts.*
    from facts cross join run
    where facts.fact_on <= run.as_of
),
best as (
    select e.fact_key, min(coalesce(t.tier_rank, 4)) as tier_rank
    from (select fact_key, unnest(source_ids) as source_id from known) e
    left join tiers t using (source_id)
    group by e.fact_key
),
final as (
    select
        k.vendor_id, k.fact, k.subject, k.value, k.value_high, k.is_lower_bound, k.fact_on,
        datediff('day', k.fact_on, run.as_of) as age_days,
        k.source_id, k.source_ids, b.tier_rank,
        case b.tier_rank when 1 then 'official' when 2 then 'press' when 3 then 'aggregator' else 'unrated' end as tier,
        k.fact in ('headcount', 'reported_total', 'revenue')
            and k.fact_on >= max(k.fact_on) over (partition by k.vendor_id, k.fact) - interval 180 day as in_window
    from known k
    join best b using (fact_key)
    cross join run
)
select * from final
order by vendor_id, fact, fact_on, subject, value, source_id
