-- One row per price period of every catalog model; prices in USD per million tokens,
-- valid_to exclusive and NULL while current.
with genai_models as (select * from staging.stg_genai_prices__models),
genai_time_of_day as (
    select distinct source, provider_id, model_id, valid_from
    from staging.stg_genai_prices__prices
    where time_from is not null
),
genai as (
    select
        prices.source, prices.snapshot, prices.provider_id, prices.model_id, prices.valid_from, prices.valid_to,
        prices.input_usd_per_mtok, prices.output_usd_per_mtok, prices.cache_read_usd_per_mtok,
        prices.cache_write_usd_per_mtok, prices.is_tiered,
        tod.model_id is not null as has_time_of_day_prices,
        false as is_retired,
        genai_models.model_name, genai_models.context_window_tokens,
        cast(null as varchar) as mode,
        coalesce(genai_models.is_deprecated, false) as is_deprecated
    from staging.stg_genai_prices__prices as prices
    left join genai_time_of_day as tod
        on tod.provider_id = prices.provider_id and tod.model_id = prices.model_id
        and tod.valid_from is not distinct from prices.valid_from
    left join genai_models
        on genai_models.provider_id = prices.provider_id and genai_models.model_id = prices.model_id
    where prices.is_standard_segment
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
