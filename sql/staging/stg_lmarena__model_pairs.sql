with source as (select * from raw.lmarena__model_pairs),
final as (
    select arena_model, has_model_id, model_id, catalog_model_id, note from source
)
select * from final
