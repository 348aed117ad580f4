-- Each maker's own platforms in the price catalogs (vendor_map.yaml `platforms:`): the catalog
-- providers whose prices are the maker's list prices. vendor_id NULL: a maker not covered.
with source as (select * from raw.facts__platforms),
final as (
    select platform_order, catalog as source, provider_id, vendor_id, note
    from source
)
select * from final
