-- Suite stg_facts__market_estimates: the age of each fact on the as-of date, and whether its source is listed
-- (or is a URL).
select
    *,
    datediff('day', source_as_of, (select as_of from raw.run_context)) as age_days,
    (source_id in (select source_id from staging.stg_facts__sources)
     or regexp_matches(source_id, '^https?://')) as source_id_listed
from staging.stg_facts__market_estimates
