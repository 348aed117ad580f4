-- Token-count tiers: above tier_start_tokens input tokens, the whole request is billed at the
-- tier price. Base prices stay in price_history.
with genai as (
    select source, snapshot, provider_id, model_id, valid_from, price_key, tier_start_tokens, tier_usd_per_mtok
    from staging.stg_genai_prices__tiers
    where time_from is null or (provider_id, model_id, valid_from, time_from) in (
        select (provider_id, model_id, valid_from, time_from)
        from staging.stg_genai_prices__prices where is_standard_segment
    )
),
litellm as (
    select periods.source, periods.snapshot, periods.provider_id, periods.model_id, periods.valid_from,
           tiers.price_key, tiers.tier_start_tokens, tiers.tier_usd_per_mtok
    from marts.litellm_price_periods as periods
    join staging.stg_litellm__tiers as tiers
        on tiers.snapshot = periods.snapshot and tiers.model_id = periods.model_id
),
final as (
    select * from genai
    union all by name
    select * from litellm
)
select * from final
