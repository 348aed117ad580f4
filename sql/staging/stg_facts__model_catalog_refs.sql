with source as (select * from raw.facts__model_catalog_refs),
final as (
    select model_id, ref_order, catalog as source, provider_id, catalog_model_id from source
)
select * from final
