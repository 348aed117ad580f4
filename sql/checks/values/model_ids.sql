-- The curated model ids: the value set of expectations naming {"$PARAMETER": "model_ids"}.
select model_id from staging.stg_facts__models
