-- Price periods of genai-prices models across the loaded snapshots of the catalog, one row per
-- period and time-of-day window. A snapshot's own dated periods (its StartDateConstraint history)
-- apply from its as-of date until the next snapshot's; the earliest snapshot also covers every date
-- before it. A model absent from the next snapshot is retired on that date; a snapshot that
-- quarantined the model's entry (and does not list it) neither changes nor ends its prices. Equal
-- consecutive periods merge: `snapshot` and `source_valid_from` name the period's first rows in
-- raw.genai_prices__* (its tiers and components). A snapshot that changes the model's deprecated
-- flag opens a period on its date, so that is_deprecated is the flag known during the period.
-- is_main marks the window price_history shows.
with snapshots as (
    select snapshot, snapshot_on, row_number() over (order by snapshot_on, snapshot) as snapshot_seq
    from staging.stg_genai_prices__snapshots
),
listed as (
    select snapshot, provider_id, model_id from staging.stg_genai_prices__models
),
quarantined as (
    select distinct snapshot, provider_id, model_id from staging.stg_genai_prices__quarantine
    where model_id is not null
),
keys as (
    select distinct provider_id, model_id from listed
),
timeline as (
    select keys.provider_id, keys.model_id, snapshots.snapshot, snapshots.snapshot_on, snapshots.snapshot_seq,
           listed.model_id is not null as is_listed,
           quarantined.model_id is not null as is_quarantined
    from keys
    cross join snapshots
    left join listed
        on listed.snapshot = snapshots.snapshot and listed.provider_id = keys.provider_id
        and listed.model_id = keys.model_id
    left join quarantined
        on quarantined.snapshot = snapshots.snapshot and quarantined.provider_id = keys.provider_id
        and quarantined.model_id = keys.model_id
),
governed as (
    select
        provider_id, model_id, snapshot, snapshot_seq, is_listed,
        case when lag(snapshot_seq) over by_model is null then null else snapshot_on end as governs_from,
        lead(snapshot_on) over by_model as governs_to,
        lead(is_listed) over by_model as next_is_listed
    from timeline
    where is_listed or not is_quarantined
    window by_model as (partition by provider_id, model_id order by snapshot_seq)
),
clipped as (
    select
        prices.*, governed.snapshot_seq, governed.governs_to, governed.next_is_listed,
        case when governed.governs_from is null then prices.valid_from
             when prices.valid_from is null then governed.governs_from
             else greatest(prices.valid_from, governed.governs_from) end as period_from,
        case when governed.governs_to is null then prices.valid_to
             when prices.valid_to is null then governed.governs_to
             else least(prices.valid_to, governed.governs_to) end as period_to
    from staging.stg_genai_prices__prices as prices
    join governed
        on governed.snapshot = prices.snapshot and governed.provider_id = prices.provider_id
        and governed.model_id = prices.model_id
    where governed.is_listed
),
kept as (
    select * from clipped
    where period_from is null or period_to is null or period_from < period_to
),
tier_states as (
    select snapshot, provider_id, model_id, valid_from, time_from,
           list({'price_key': price_key, 'tier_start_tokens': tier_start_tokens, 'tier': tier_usd_per_mtok}
                order by price_key, tier_start_tokens) as tiers
    from staging.stg_genai_prices__tiers
    group by all
),
members as (
    select
        kept.snapshot, kept.provider_id, kept.model_id, kept.valid_from as source_valid_from,
        any_value(kept.period_from) as period_from, any_value(kept.period_to) as period_to,
        any_value(kept.snapshot_seq) as snapshot_seq, any_value(kept.governs_to) as governs_to,
        any_value(kept.next_is_listed) as next_is_listed,
        list({'time_from': kept.time_from, 'time_to': kept.time_to, 'kind': kept.time_of_day_kind,
              'is_main': kept.is_standard_segment, 'input': kept.input_usd_per_mtok,
              'output': kept.output_usd_per_mtok, 'cache_read': kept.cache_read_usd_per_mtok,
              'cache_write': kept.cache_write_usd_per_mtok, 'tiers': tier_states.tiers}
             order by kept.time_from nulls first) as price_state,
        coalesce(any_value(flags.is_deprecated), false) as is_deprecated
    from kept
    left join staging.stg_genai_prices__models as flags
        on flags.snapshot = kept.snapshot and flags.provider_id = kept.provider_id and flags.model_id = kept.model_id
    left join tier_states
        on tier_states.snapshot = kept.snapshot and tier_states.provider_id = kept.provider_id
        and tier_states.model_id = kept.model_id
        and tier_states.valid_from is not distinct from kept.valid_from
        and tier_states.time_from is not distinct from kept.time_from
    group by kept.snapshot, kept.provider_id, kept.model_id, kept.valid_from
),
ordered as (
    select *, row_number() over (partition by provider_id, model_id order by period_from nulls first) as member_seq
    from members
),
flagged as (
    select *,
        case
            when lag(price_state) over by_model is distinct from price_state then 1
            when lag(is_deprecated) over by_model is distinct from is_deprecated then 1
            when lag(period_to) over by_model is distinct from period_from then 1
            else 0
        end as opens_period
    from ordered
    window by_model as (partition by provider_id, model_id order by member_seq)
),
numbered as (
    select *, sum(opens_period) over (partition by provider_id, model_id order by member_seq) as period_seq
    from flagged
),
periods as (
    select
        provider_id, model_id, period_seq,
        min(member_seq) as first_member, max(member_seq) as last_member
    from numbered
    group by all
),
bounds as (
    select
        periods.provider_id, periods.model_id,
        opening.snapshot, opening.source_valid_from, opening.period_from as valid_from, closing.period_to as valid_to,
        closing.snapshot as latest_snapshot,
        coalesce(closing.period_to is not null and closing.period_to = closing.governs_to
                 and not closing.next_is_listed, false) as is_retired
    from periods
    join ordered as opening
        on opening.provider_id = periods.provider_id and opening.model_id = periods.model_id
        and opening.member_seq = periods.first_member
    join ordered as closing
        on closing.provider_id = periods.provider_id and closing.model_id = periods.model_id
        and closing.member_seq = periods.last_member
),
final as (
    select
        'genai-prices' as source, bounds.snapshot, bounds.provider_id, bounds.model_id,
        bounds.valid_from, bounds.valid_to, bounds.source_valid_from,
        prices.time_from, prices.time_to, prices.is_standard_segment as is_main, prices.time_of_day_kind,
        prices.input_usd_per_mtok, prices.output_usd_per_mtok,
        prices.cache_read_usd_per_mtok, prices.cache_write_usd_per_mtok, prices.is_tiered,
        bool_or(prices.time_from is not null) over (
            partition by bounds.provider_id, bounds.model_id, bounds.valid_from) as has_time_of_day_prices,
        bounds.is_retired,
        models.model_name, models.context_window_tokens, coalesce(models.is_deprecated, false) as is_deprecated
    from bounds
    join staging.stg_genai_prices__prices as prices
        on prices.snapshot = bounds.snapshot and prices.provider_id = bounds.provider_id
        and prices.model_id = bounds.model_id and prices.valid_from is not distinct from bounds.source_valid_from
    left join staging.stg_genai_prices__models as models
        on models.snapshot = bounds.latest_snapshot and models.provider_id = bounds.provider_id
        and models.model_id = bounds.model_id
)
select * from final
