with source as (select * from raw.genai_prices__snapshots),
final as (
    select snapshot, as_of as snapshot_on, sha256, source_uri, version, provider_count, model_count,
           priced_count, quarantined_count, no_token_price_count, parser_version
    from source
)
select * from final
