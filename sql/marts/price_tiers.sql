-- Token-count tiers: above tier_start_tokens input tokens, the whole request is billed at the
-- tier price. Base prices stay in price_history (for a time-of-day price, the tiers of its
-- standard window).
with genai as (
    select periods.source, periods.snapshot, periods.provider_id, periods.model_id, periods.valid_from,
           tiers.price_key, tiers.tier_start_tokens, tiers.tier_usd_per_mtok
    from marts.genai_price_periods as periods
    join staging.stg_genai_prices__tiers as tiers
        on tiers.snapshot = periods.snapshot and tiers.provider_id = periods.provider_id
        and tiers.model_id = periods.model_id
        and tiers.valid_from is not distinct from periods.source_valid_from
        and tiers.time_from is not distinct from periods.time_from
    where periods.is_main
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
