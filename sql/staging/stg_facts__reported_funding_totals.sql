with source as (select * from raw.facts__reported_funding_totals),
final as (
    select
        vendor_id, amount_usd as reported_total_usd, covers, coalesce(lower_bound, false) as is_lower_bound,
        source as source_id, as_of as source_as_of
    from source
)
select * from final
