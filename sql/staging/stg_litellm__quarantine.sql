with source as (select * from raw.litellm__quarantine),
final as (
    select 'litellm' as source, snapshot_id as snapshot, model_key as model_id, field, reason from source
)
select * from final
