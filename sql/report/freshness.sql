-- How recent a vendor's briefing data is on the run's as-of date: its latest curated fact (vendor
-- profile, funding round, headcount, model, revenue estimate), the latest LiteLLM snapshot and the
-- genai-prices catalog snapshot.
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
final as (
    select
        v.vendor_id, lf.latest_fact_on,
        (select max(s.snapshot_on) from staging.stg_litellm__snapshots s, run where s.snapshot_on <= run.as_of)
            as litellm_snapshot_on,
        (select any_value(g.snapshot) from staging.stg_genai_prices__models g) as genai_snapshot
    from marts.vendors v
    left join latest_facts lf using (vendor_id)
)
select * from final
order by vendor_id
