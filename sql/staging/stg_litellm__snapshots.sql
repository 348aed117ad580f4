with source as (select * from raw.litellm__snapshots),
final as (
    select snapshot_id, as_of as snapshot_on, sha256, source_uri, version, entry_count, quarantined_count,
           priced_count, no_token_price_count, alias_count, parser_version
    from source
)
select * from final
