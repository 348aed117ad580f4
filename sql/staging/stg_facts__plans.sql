with source as (select * from raw.facts__plans),
final as (
    select plan_id, vendor_id, name as plan_name, kind as plan_kind, price_per_month, currency,
           source as source_id, as_of as source_as_of
    from source
)
select * from final
