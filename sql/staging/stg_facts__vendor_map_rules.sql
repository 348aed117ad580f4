with source as (select * from raw.facts__vendor_map_rules),
final as (
    select rule_order, catalog as source, lower(provider_glob) as provider_glob,
           lower(model_glob) as model_glob, vendor_id, note
    from source
)
select * from final
