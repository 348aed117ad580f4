-- Rows kept out of the published tables, with the reason: entries of a LiteLLM snapshot and models
-- of a genai-prices data file refused when they were loaded, and rows a suite with the quarantine
-- policy isolated during a run.
with at_load as (
    select cast(null as varchar) as run_id, 'litellm snapshot' as source_table, snapshot,
           model_id as record_key, field, reason, 'quarantined when the snapshot was loaded' as policy
    from staging.stg_litellm__quarantine
    union all
    select cast(null as varchar) as run_id, 'genai-prices snapshot' as source_table, snapshot,
           provider_id || coalesce('/' || model_id, '') as record_key, field, reason,
           'quarantined when the snapshot was loaded' as policy
    from staging.stg_genai_prices__quarantine
),
in_runs as (
    select run_id, source_table, cast(null as varchar) as snapshot, record_key, field, reason, policy
    from history.dq_quarantine
),
final as (
    select * from in_runs
    union all
    select * from at_load
)
select * from final
