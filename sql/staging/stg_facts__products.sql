-- Curated products and platforms (vendors/*.yaml, section products).
with source as (select * from raw.facts__products),
final as (
    select product_id, vendor_id, name as product_name, kind as product_kind, description, launched_on,
           date_precision as launched_on_precision, source as source_id, as_of as source_as_of
    from source
)
select * from final
