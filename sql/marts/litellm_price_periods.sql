-- Price periods from the loaded LiteLLM snapshots, whatever order they were loaded in: a period
-- opens at the first snapshot listing a price and closes at the first later snapshot that lists
-- a different price or no longer lists the model (then marked retired). A snapshot that
-- quarantined the model's entry is skipped for that model: a quarantine is not a retirement, the
-- period it was in stays open (or closes at the next snapshot that says otherwise).
with snapshots as (
    select snapshot_id, snapshot_on, row_number() over (order by snapshot_on, snapshot_id) as snapshot_seq
    from staging.stg_litellm__snapshots
),
tier_signatures as (
    select snapshot, model_id,
           string_agg(price_key || '>' || tier_start_tokens || '=' || tier_usd_per_mtok, ';'
                      order by price_key, tier_start_tokens) as tier_signature
    from staging.stg_litellm__tiers
    group by all
),
prices as (
    select prices.*, tier_signatures.tier_signature
    from staging.stg_litellm__prices as prices
    left join tier_signatures using (snapshot, model_id)
    where prices.alias_of is null
),
quarantined as (
    select distinct snapshot, model_id from staging.stg_litellm__quarantine
),
grid as (
    select keys.model_id, snapshots.snapshot_id, snapshots.snapshot_on, snapshots.snapshot_seq
    from (select distinct model_id from prices) as keys
    cross join snapshots
    anti join quarantined
        on quarantined.snapshot = snapshots.snapshot_id and quarantined.model_id = keys.model_id
),
observed as (
    select
        grid.model_id, grid.snapshot_id, grid.snapshot_on, grid.snapshot_seq,
        prices.model_id is not null as is_listed,
        prices.provider_id, prices.input_usd_per_mtok, prices.output_usd_per_mtok,
        prices.cache_read_usd_per_mtok, prices.cache_write_usd_per_mtok,
        prices.context_window_tokens, prices.mode, prices.source_url, prices.tier_signature,
        hash(prices.provider_id, prices.input_usd_per_mtok, prices.output_usd_per_mtok,
             prices.cache_read_usd_per_mtok, prices.cache_write_usd_per_mtok, prices.tier_signature) as price_state
    from grid
    left join prices on prices.model_id = grid.model_id and prices.snapshot = grid.snapshot_id
),
sequenced as (
    -- the next snapshot of the model's own grid (quarantined cells left out)
    select *,
        lead(snapshot_on) over (partition by model_id order by snapshot_seq) as next_snapshot_on,
        lead(is_listed) over (partition by model_id order by snapshot_seq) as next_is_listed
    from observed
),
flagged as (
    select *,
        case
            when not is_listed then 0
            when lag(is_listed) over by_snapshot is distinct from true then 1
            when lag(price_state) over by_snapshot is distinct from price_state then 1
            else 0
        end as opens_period
    from sequenced
    window by_snapshot as (partition by model_id order by snapshot_seq)
),
numbered as (
    select *, sum(opens_period) over (partition by model_id order by snapshot_seq) as period_seq
    from flagged
),
periods as (
    select
        model_id, period_seq,
        min(snapshot_on) as valid_from,
        max(snapshot_seq) as last_snapshot_seq,
        arg_min(snapshot_id, snapshot_seq) as snapshot,
        arg_min(provider_id, snapshot_seq) as provider_id,
        arg_min(input_usd_per_mtok, snapshot_seq) as input_usd_per_mtok,
        arg_min(output_usd_per_mtok, snapshot_seq) as output_usd_per_mtok,
        arg_min(cache_read_usd_per_mtok, snapshot_seq) as cache_read_usd_per_mtok,
        arg_min(cache_write_usd_per_mtok, snapshot_seq) as cache_write_usd_per_mtok,
        arg_max(context_window_tokens, snapshot_seq) as context_window_tokens,
        arg_max(mode, snapshot_seq) as mode,
        arg_max(source_url, snapshot_seq) as source_url,
        bool_or(tier_signature is not null) as is_tiered
    from numbered
    where is_listed
    group by model_id, period_seq
),
final as (
    select
        'litellm' as source, periods.snapshot, periods.provider_id, periods.model_id,
        periods.valid_from, closing.next_snapshot_on as valid_to,
        periods.input_usd_per_mtok, periods.output_usd_per_mtok,
        periods.cache_read_usd_per_mtok, periods.cache_write_usd_per_mtok,
        periods.is_tiered, coalesce(not closing.next_is_listed, false) as is_retired,
        periods.context_window_tokens, periods.mode, periods.source_url
    from periods
    join sequenced as closing
        on closing.model_id = periods.model_id and closing.snapshot_seq = periods.last_snapshot_seq
)
select * from final
