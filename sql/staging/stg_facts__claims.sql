with source as (select * from raw.facts__claims),
final as (
    select claim_id, vendor_id, text as claim_text, metric, price_component, comparison, subject, reference,
           stated_value, tolerance, source as source_id, as_of as source_as_of
    from source
)
select * from final
