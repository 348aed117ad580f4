-- What changed since each vendor's previous edition (marts.edition_changes). A catalog change
-- (new_model, retired_model, price_change) happened on a platform: the catalog's provider id.
-- on_own_platform is true for a change on the vendor's own platform and for every change that
-- is not about a catalog entry (funding rounds, metric moves). Own platforms: marts.vendor_platforms
-- (a provider id is the vendor's own platform in whichever catalog names it).
with own as (
    select distinct vendor_id, provider_id from marts.vendor_platforms
),
final as (
    select
        changes.vendor_id, changes.kind, changes.subject, changes.before_value, changes.after_value, changes.change,
        changes.platform, changes.catalog_model_id,
        changes.unit, changes.before_numbers, changes.after_numbers,
        changes.platform is null or own.provider_id is not null as on_own_platform
    from marts.edition_changes as changes
    left join own on own.vendor_id = changes.vendor_id and own.provider_id = lower(changes.platform)
)
select * from final
order by vendor_id, kind, subject
