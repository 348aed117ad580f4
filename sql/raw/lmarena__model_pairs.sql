-- Explicit arena name -> curated model / catalog model pairs of data/sources/lmarena/model_map.yaml.
-- has_model_id: the pair names model_id (NULL there means "no curated model", overriding the rules).
create table if not exists raw.lmarena__model_pairs (
    arena_model varchar, has_model_id boolean, model_id varchar, catalog_model_id varchar, note varchar
);
