create table if not exists raw.litellm__quarantine (
    snapshot_id varchar, model_key varchar, field varchar, reason varchar
);
