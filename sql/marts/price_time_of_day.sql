-- Time-of-day prices (e.g. DeepSeek off-peak): every daily window of a price period, times in
-- UTC, time_to exclusive (a window may wrap past midnight). is_standard marks the window whose
-- prices price_history shows.
with final as (
    select source, snapshot, provider_id, model_id, valid_from, valid_to, time_from, time_to,
           is_standard_segment as is_standard,
           input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok
    from staging.stg_genai_prices__prices
    where time_from is not null
)
select * from final
