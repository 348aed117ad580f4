-- Suite stg_facts__headcount: each count's age on the as-of date, whether its source is listed
-- (or is a URL), and its jump factor against the vendor's previous count when that one is at most
-- $headcount_window_days days older (the larger count / the smaller).
with h as (
    select
        *,
        lag(employees) over w as previous_employees,
        lag(source_as_of) over w as previous_on
    from staging.stg_facts__headcount
    window w as (partition by vendor_id order by source_as_of, employees, source_id)
)
select
    *,
    datediff('day', source_as_of, (select as_of from raw.run_context)) as age_days,
    (source_id in (select source_id from staging.stg_facts__sources)
     or regexp_matches(source_id, '^https?://')) as source_id_listed,
    case
        when datediff('day', previous_on, source_as_of) <= $headcount_window_days
            then greatest(employees, previous_employees) / least(employees, previous_employees)
    end as jump_factor
from h
