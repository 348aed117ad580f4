-- What changed since each vendor's previous edition (marts.edition_changes). A catalog change
-- (new_model, retired_model, price_change) happened on a platform: the catalog's provider id.
-- on_own_platform is true for a change on the vendor's own platform and for every change that
-- is not about a catalog entry (funding rounds, metric moves).
with final as (
    select
        vendor_id, kind, subject, before_value, after_value, change, platform, catalog_model_id,
        platform is null or platform = vendor_id as on_own_platform
    from marts.edition_changes
)
select * from final
order by vendor_id, kind, subject
