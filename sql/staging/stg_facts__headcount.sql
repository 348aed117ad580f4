with source as (select * from raw.facts__headcount),
final as (
    select
        vendor_id, employees, coalesce(lower_bound, false) as is_lower_bound, source as source_id,
        as_of as source_as_of
    from source
)
select * from final
