create table if not exists raw.facts__model_catalog_refs (
    model_id varchar, ref_order integer, catalog varchar, provider_id varchar, catalog_model_id varchar
);
