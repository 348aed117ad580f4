-- Which curated vendor made each catalog model: the first matching rule of vendor_map.yaml.
with catalog_models as (
    select distinct source, provider_id, model_id from staging.stg_genai_prices__prices
    union
    select distinct source, provider_id, model_id from staging.stg_litellm__prices
),
rules as (select * from staging.stg_facts__vendor_map_rules),
matches as (
    select
        catalog_models.source, catalog_models.provider_id, catalog_models.model_id,
        rules.vendor_id, rules.rule_order,
        row_number() over (
            partition by catalog_models.source, catalog_models.provider_id, catalog_models.model_id
            order by rules.rule_order
        ) as match_rank
    from catalog_models
    join rules
        on (rules.source = '*' or rules.source = catalog_models.source)
        and lower(catalog_models.provider_id) glob rules.provider_glob
        and lower(catalog_models.model_id) glob rules.model_glob
),
final as (
    select source, provider_id, model_id, vendor_id, rule_order as map_rule
    from matches
    where match_rank = 1
)
select * from final
