-- Suite sources: whether each listed source is cited by a fact.
with cited as (
    select source_id from staging.stg_facts__vendors
    union select profile_source_id from staging.stg_facts__vendors
    union select stated_amount_usd_source_id from staging.stg_facts__funding_rounds
    union select parts_source_id from staging.stg_facts__funding_rounds
    union select source_id from staging.stg_facts__headcount
    union select source_id from staging.stg_facts__reported_funding_totals
    union select source_id from staging.stg_facts__funding_rounds
    union select source_id from staging.stg_facts__revenue_estimates
    union select source_id from staging.stg_facts__plans
    union select source_id from staging.stg_facts__models
    union select source_id from staging.stg_facts__claims
    union select source_id from staging.stg_facts__fx_rates
)
select s.*, s.source_id in (select source_id from cited where source_id is not null) as is_cited
from main.sources as s
