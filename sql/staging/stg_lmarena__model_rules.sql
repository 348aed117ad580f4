with source as (select * from raw.lmarena__model_rules),
final as (
    select rule_order, kind, pattern, note from source
)
select * from final
