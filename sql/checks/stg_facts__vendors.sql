-- Suite stg_facts__vendors: each profile's age on the as-of date, whether its source is listed (or
-- is a URL), and whether is_eu matches the headquarters' country.
select
    *,
    datediff('day', source_as_of, (select as_of from raw.run_context)) as age_days,
    (source_id in (select source_id from staging.stg_facts__sources)
     or regexp_matches(source_id, '^https?://')) as source_id_listed,
    is_eu = (hq_country in ('AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
                            'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE')) as is_eu_matches_country
from staging.stg_facts__vendors
