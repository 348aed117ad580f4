-- Models listed per catalog provider on the run's as-of date against the last run that
-- recorded counts: a provider that suddenly loses many models points at a broken catalog.
with current_counts as (
    select source, provider_id, count(distinct model_id) as model_count
    from marts.prices_current
    group by all
),
previous_run as (
    select max(run_id) as run_id from history.catalog_counts
),
previous_counts as (
    select source, provider_id, model_count, run_id
    from history.catalog_counts
    where run_id = (select run_id from previous_run)
),
final as (
    select
        coalesce(current_counts.source, previous_counts.source) as source,
        coalesce(current_counts.provider_id, previous_counts.provider_id) as provider_id,
        previous_counts.run_id as previous_run_id,
        previous_counts.model_count as previous_model_count,
        coalesce(current_counts.model_count, 0) as model_count,
        case when previous_counts.model_count > 0
             then greatest(previous_counts.model_count - coalesce(current_counts.model_count, 0), 0)
                  / previous_counts.model_count
        end as lost_share
    from current_counts
    full join previous_counts using (source, provider_id)
)
select * from final
