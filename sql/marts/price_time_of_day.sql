-- Time-of-day prices (e.g. DeepSeek off-peak): every daily window of a price period, times in
-- UTC, time_to exclusive (a window may wrap past midnight). The standard price is the one in force
-- for the largest share of the day: price_history shows it; time_of_day_kind says whether a window
-- is at the standard price (is_standard), a peak (dearer) or an off-peak (cheaper) price.
with final as (
    select source, snapshot, provider_id, model_id, valid_from, valid_to, time_from, time_to,
           time_of_day_kind = 'standard' as is_standard, time_of_day_kind,
           input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok
    from marts.genai_price_periods
    where time_from is not null
)
select * from final
