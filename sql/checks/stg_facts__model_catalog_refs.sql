-- Suite stg_facts__model_catalog_refs: whether each catalog reference names a model of the catalog.
select
    refs.*,
    exists(
        select 1 from marts.price_history as p
        where p.source = refs.source and p.model_id = refs.catalog_model_id
          and (refs.provider_id is null or p.provider_id = refs.provider_id)
    ) as is_in_catalog
from staging.stg_facts__model_catalog_refs as refs
