-- Curated notable customers, customer segments and channels (vendors/*.yaml, section customers).
with source as (select * from raw.facts__customers),
final as (
    select customer_id, vendor_id, name as customer_name, kind as customer_kind, description,
           source as source_id, as_of as source_as_of
    from source
)
select * from final
