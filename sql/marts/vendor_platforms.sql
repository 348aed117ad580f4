-- Each curated vendor's own platforms in the two price catalogs: the catalog providers whose
-- prices are its list prices (data/sources/vendor_map.yaml `platforms:`; the makers not covered,
-- vendor_id NULL there, left out). The one definition of "the vendor's own platform": the lineup,
-- list prices, the catalog reconciliation, edition changes and the price-move metrics all read it.
-- provider_id is lower-cased, as the catalogs' ids are compared.
with platforms as (select * from staging.stg_facts__platforms),
final as (
    select vendor_id, source, lower(provider_id) as provider_id, note, platform_order
    from platforms
    where vendor_id is not null
    order by vendor_id, platform_order
)
select * from final
