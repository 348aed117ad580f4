-- Suite stg_facts__fx_rates: whether each rate's source is listed (or is a URL).
select
    *,
    (source_id in (select source_id from staging.stg_facts__sources)
     or regexp_matches(source_id, '^https?://')) as source_id_listed
from staging.stg_facts__fx_rates
