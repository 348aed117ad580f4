-- How recent a vendor's briefing data is on the run's as-of date: its latest curated fact (vendor
-- profile, funding round, headcount, model, revenue estimate), the latest LiteLLM snapshot and the
-- genai-prices snapshot in force on that date: the latest one dated on or before it, else the
-- earliest (it covers every date before it, as in marts.genai_price_periods); a tie on the date
-- goes to the greatest snapshot id.
with run as (
    select as_of from raw.run_context
),
facts as (
    select vendor_id, source_as_of from staging.stg_facts__vendors
    union all select vendor_id, source_as_of from staging.stg_facts__funding_rounds
    union all select vendor_id, source_as_of from staging.stg_facts__headcount
    union all select vendor_id, source_as_of from staging.stg_facts__models
    union all select vendor_id, source_as_of from staging.stg_facts__revenue_estimates
),
latest_facts as (
    select facts.vendor_id, max(facts.source_as_of) as latest_fact_on
    from facts, run
    where facts.source_as_of <= run.as_of
    group by facts.vendor_id
),
genai_in_force as (
    select g.snapshot as genai_snapshot
    from staging.stg_genai_prices__snapshots as g, run
    qualify row_number() over (
        order by case when g.snapshot_on <= run.as_of then g.snapshot_on end desc nulls last,
                 g.snapshot_on, g.snapshot desc) = 1
),
final as (
    select
        v.vendor_id, lf.latest_fact_on,
        (select max(s.snapshot_on) from staging.stg_litellm__snapshots s, run where s.snapshot_on <= run.as_of)
            as litellm_snapshot_on,
        gf.genai_snapshot
    from marts.vendors v
    cross join genai_in_force gf
    left join latest_facts lf using (vendor_id)
)
select * from final
order by vendor_id
