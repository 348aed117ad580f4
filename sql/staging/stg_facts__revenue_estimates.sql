with source as (select * from raw.facts__revenue_estimates),
final as (
    select vendor_id, low_usd as revenue_low_usd, high_usd as revenue_high_usd, basis,
           source as source_id, as_of as source_as_of
    from source
)
select * from final
