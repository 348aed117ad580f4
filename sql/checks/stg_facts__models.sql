-- Suite stg_facts__models: each model's age on the as-of date, whether its source is listed (or
-- is a URL), whether a MoE model activates a subset of its parameters, and whether a closed model
-- is proprietary.
select
    *,
    datediff('day', source_as_of, (select as_of from raw.run_context)) as age_days,
    (source_id in (select source_id from staging.stg_facts__sources)
     or regexp_matches(source_id, '^https?://')) as source_id_listed,
    (architecture <> 'moe' or active_params_b is null or total_params_b is null
     or active_params_b < total_params_b) as moe_activates_a_subset,
    (is_open_weights or licence = 'proprietary') as closed_model_is_proprietary
from staging.stg_facts__models
