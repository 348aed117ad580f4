-- Each vendor's headcount (the latest observation, as marts.vendors shows it) beside the
-- observation before it: days apart and the jump factor (larger / smaller headcount). The
-- stg_facts__headcount suite warns on the same jump; the briefing marks the figure disputed when
-- days_apart <= quality.headcount_window_days and jump_factor > quality.headcount_max_factor.
with ranked as (
    select h.vendor_id, h.employees, h.source_as_of, h.source_id,
           row_number() over (partition by h.vendor_id order by h.source_as_of desc, h.employees desc) as recency
    from staging.stg_facts__headcount h
    join marts.vendors v on v.vendor_id = h.vendor_id and h.source_as_of <= v.headcount_on
),
final as (
    select
        v.vendor_id, v.headcount, v.headcount_on,
        p.employees as previous_headcount, p.source_as_of as previous_on, p.source_id as previous_source_id,
        datediff('day', p.source_as_of, v.headcount_on) as days_apart,
        greatest(v.headcount, p.employees) / least(v.headcount, p.employees) as jump_factor
    from marts.vendors v
    join ranked p on p.vendor_id = v.vendor_id and p.recency = 2
)
select * from final
order by vendor_id
