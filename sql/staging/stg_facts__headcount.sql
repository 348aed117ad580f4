with source as (select * from raw.facts__headcount),
final as (
    select vendor_id, employees, source as source_id, as_of as source_as_of from source
)
select * from final
