-- Price periods from the loaded LiteLLM snapshots, whatever order they were loaded in: a period
-- opens at the first snapshot listing a price and closes at the first later snapshot that lists
-- a different price or no longer lists the model (then marked retired).
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
grid as (
    select keys.model_id, snapshots.snapshot_id, snapshots.snapshot_on, snapshots.snapshot_seq
    from (select distinct model_id from prices) as keys
    cross join snapshots
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
flagged as (
    select *,
        case
            when not is_listed then 0
            when lag(is_listed) over by_snapshot is distinct from true then 1
            when lag(price_state) over by_snapshot is distinct from price_state then 1
            else 0
        end as opens_period
    from observed
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
        periods.valid_from, next_snapshot.snapshot_on as valid_to,
        periods.input_usd_per_mtok, periods.output_usd_per_mtok,
        periods.cache_read_usd_per_mtok, periods.cache_write_usd_per_mtok,
        periods.is_tiered, coalesce(not next_obs.is_listed, false) as is_retired,
        periods.context_window_tokens, periods.mode, periods.source_url
    from periods
    left join snapshots as next_snapshot on next_snapshot.snapshot_seq = periods.last_snapshot_seq + 1
    left join observed as next_obs
        on next_obs.model_id = periods.model_id and next_obs.snapshot_seq = periods.last_snapshot_seq + 1
)
select * from final
