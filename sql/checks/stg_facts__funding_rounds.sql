-- Suite stg_facts__funding_rounds: each round with its vendor's founding month, its age on the
-- as-of date, and whether its sources (the round's, and its split's) are listed (or are URLs).
select
    r.*,
    date_trunc('month', v.founded_on)::date as founded_on,
    datediff('day', r.source_as_of, (select as_of from raw.run_context)) as age_days,
    (r.source_id in (select source_id from staging.stg_facts__sources)
     or regexp_matches(r.source_id, '^https?://')) as source_id_listed,
    (r.parts_source_id is null or r.parts_source_id in (select source_id from staging.stg_facts__sources)
     or regexp_matches(r.parts_source_id, '^https?://')) as parts_source_id_listed
from staging.stg_facts__funding_rounds as r
left join staging.stg_facts__vendors as v using (vendor_id)
