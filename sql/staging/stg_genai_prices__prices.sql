with source as (select * from raw.genai_prices__prices),
final as (
    select
        'genai-prices' as source, snapshot, provider_id, model_id, valid_from, valid_to,
        time_from, time_to, is_main as is_standard_segment,
        input_mtok as input_usd_per_mtok, output_mtok as output_usd_per_mtok,
        cache_read_mtok as cache_read_usd_per_mtok, cache_write_mtok as cache_write_usd_per_mtok,
        is_tiered, time_of_day_kind
    from source
)
select * from final
