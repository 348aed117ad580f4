-- One row per price period of every catalog model; prices in USD per million tokens,
-- valid_to exclusive and NULL while current. genai-prices periods: marts.genai_price_periods;
-- LiteLLM periods: marts.litellm_price_periods.
with genai as (
    select
        source, snapshot, provider_id, model_id, valid_from, valid_to,
        input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok,
        is_tiered, has_time_of_day_prices, is_retired, model_name, context_window_tokens,
        cast(null as varchar) as mode, is_deprecated
    from marts.genai_price_periods
    -- a time-of-day price shows its standard price: the one in force for the largest share of the day
    where is_main
),
litellm as (
    select
        source, snapshot, provider_id, model_id, valid_from, valid_to,
        input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok,
        is_tiered, false as has_time_of_day_prices, is_retired,
        cast(null as varchar) as model_name, context_window_tokens, mode, false as is_deprecated
    from marts.litellm_price_periods
),
quarantined as (
    select quarantine.record_key
    from history.dq_quarantine as quarantine
    join raw.run_context using (run_id)
    where quarantine.source_table = 'price_history'
),
unioned as (
    select * from genai
    union all by name
    select * from litellm
),
final as (
    select
        unioned.source, unioned.snapshot, unioned.provider_id, unioned.model_id, unioned.model_name,
        vendor_map.vendor_id, unioned.valid_from, unioned.valid_to,
        unioned.input_usd_per_mtok, unioned.output_usd_per_mtok,
        unioned.cache_read_usd_per_mtok, unioned.cache_write_usd_per_mtok,
        unioned.is_tiered, unioned.has_time_of_day_prices, unioned.is_retired, unioned.is_deprecated,
        unioned.context_window_tokens, unioned.mode
    from unioned
    left join marts.catalog_vendor_map as vendor_map using (source, provider_id, model_id)
    -- rows the data-quality stage quarantined in this run stay out
    where concat_ws('|', unioned.source, unioned.provider_id, unioned.model_id, coalesce(cast(unioned.valid_from as varchar), ''))
        not in (select record_key from quarantined)
    order by unioned.source, unioned.provider_id, unioned.model_id, unioned.valid_from nulls first
)
select * from final
