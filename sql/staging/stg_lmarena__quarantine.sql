with source as (select * from raw.lmarena__quarantine),
final as (
    select 'lmarena' as source, leaderboard_id, category, arena_model, field, reason from source
)
select * from final
