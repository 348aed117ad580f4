-- Every arena model name mapped to a curated model (data/sources/vendors/*.yaml, models[].id) and a
-- catalog model, by the rules and pairs of data/sources/lmarena/model_map.yaml (loaded as data).
-- A name is lowercased, its dots become dashes, an effort suffix (the `variants` rules: -high,
-- -thinking-32k, ...) is cut off and kept as the variant, and dated suffixes (`drop_suffixes`:
-- -20251101, -2025-05-06, ...) are dropped: the result is the name key. Catalog ids (genai-prices
-- model ids, LiteLLM keys without their provider prefix) and curated ids are normalized the same
-- way, without the variant step.
-- Catalog model: a pair's catalog_model_id, else the catalog models with the same key (an exact
-- name first, then the maker's own platform, then genai-prices).
-- Curated model, first that applies: a pair's model_id (NULL: none), a curated id with the same
-- key, a catalog reference of a curated model with the same key or naming the catalog model.
-- Lineup model of a name no curated model takes (lineup_model_id): the catalog-only model of
-- marts.catalog_lineup (a model the vendors' own platforms list without curated facts) one of whose
-- own-platform entries has the pair's catalog_model_id, the same key or the arena name itself (a
-- `-thinking` model listed as such: qwen3-next-80b-a3b-thinking); the entry named exactly like
-- the arena name first, then one whose lineup model has the same key (lineup_key_match: the arena
-- name is that model, not an entry grouped into it). Curated models keep the curated rules above.
with rule_set as (
    select
        '-(' || coalesce(string_agg(pattern, '|' order by rule_order) filter (where kind = 'variant'), '[^\s\S]') || ')$'
            as variant_re,
        '-(' || coalesce(string_agg(pattern, '|' order by rule_order) filter (where kind = 'drop'), '[^\s\S]') || ')$'
            as drop_re
    from staging.stg_lmarena__model_rules
),
names as (
    select distinct arena_model, replace(lower(arena_model), '.', '-') as lowered
    from staging.stg_lmarena__scores
),
keyed as (
    select
        names.arena_model,
        nullif(regexp_extract(names.lowered, rule_set.variant_re, 1), '') as variant,
        regexp_replace(regexp_replace(names.lowered, rule_set.variant_re, ''), rule_set.drop_re, '') as name_key
    from names
    cross join rule_set
),
pairs as (select * from staging.stg_lmarena__model_pairs),
catalog_segments as (
    select source, provider_id, model_id, vendor_id, lower(regexp_replace(model_id, '^.*/', '')) as segment
    from marts.catalog_vendor_map
),
catalog as (
    select catalog_segments.*, regexp_replace(replace(segment, '.', '-'), rule_set.drop_re, '') as catalog_key
    from catalog_segments
    cross join rule_set
),
catalog_matches as (
    select
        keyed.arena_model, catalog.source, catalog.provider_id, catalog.model_id, catalog.vendor_id, catalog.segment,
        row_number() over (
            partition by keyed.arena_model
            order by (catalog.segment = lower(keyed.arena_model)) desc,
                     (catalog.provider_id is not distinct from catalog.vendor_id) desc,
                     (catalog.source = 'genai-prices') desc, catalog.provider_id, catalog.model_id
        ) as catalog_rank
    from keyed
    left join pairs on pairs.arena_model = keyed.arena_model
    join catalog
        on case when pairs.catalog_model_id is not null then catalog.segment = lower(pairs.catalog_model_id)
                else catalog.catalog_key = keyed.name_key end
),
catalog_pick as (select * from catalog_matches where catalog_rank = 1),
curated as (
    select models.model_id, models.vendor_id,
           regexp_replace(replace(lower(models.model_id), '.', '-'), rule_set.drop_re, '') as curated_key
    from staging.stg_facts__models as models
    cross join rule_set
),
ref_segments as (
    select model_id, ref_order, lower(regexp_replace(catalog_model_id, '^.*/', '')) as segment
    from staging.stg_facts__model_catalog_refs
),
refs as (
    select ref_segments.*, regexp_replace(replace(segment, '.', '-'), rule_set.drop_re, '') as ref_key
    from ref_segments
    cross join rule_set
),
curated_matches as (
    select arena_model, model_id, 'pair' as matched_by, 1 as priority from pairs where has_model_id
    union all
    select keyed.arena_model, curated.model_id, 'model_id', 2
    from keyed
    join curated on curated.curated_key = keyed.name_key
    union all
    select keyed.arena_model, refs.model_id, 'catalog_ref', 3
    from keyed
    left join catalog_pick on catalog_pick.arena_model = keyed.arena_model
    join refs on refs.ref_key = keyed.name_key or refs.segment = catalog_pick.segment
),
curated_pick as (
    select arena_model, model_id, matched_by,
           row_number() over (partition by arena_model order by priority, model_id) as curated_rank
    from curated_matches
),
lineup_entries as (
    select
        entries.vendor_id, entries.lineup_model_id, lower(regexp_replace(entries.model_id, '^.*/', '')) as segment,
        regexp_replace(replace(lower(entries.lineup_model_id), '.', '-'), rule_set.drop_re, '') as lineup_key
    from marts.lineup_entries as entries
    join marts.catalog_lineup as lineup
        on lineup.vendor_id = entries.vendor_id and lineup.model_id = entries.lineup_model_id and not lineup.is_curated
    cross join rule_set
),
lineup_keyed as (
    select lineup_entries.*, regexp_replace(replace(segment, '.', '-'), rule_set.drop_re, '') as entry_key
    from lineup_entries
    cross join rule_set
),
lineup_matches as (
    select
        keyed.arena_model, lineup_keyed.vendor_id, lineup_keyed.lineup_model_id,
        lineup_keyed.lineup_key = keyed.name_key as lineup_key_match,
        row_number() over (
            partition by keyed.arena_model
            order by (lineup_keyed.segment = lower(keyed.arena_model)) desc,
                     (lineup_keyed.lineup_key = keyed.name_key) desc, lineup_keyed.vendor_id, lineup_keyed.lineup_model_id
        ) as lineup_rank
    from keyed
    left join pairs on pairs.arena_model = keyed.arena_model
    join lineup_keyed
        on case when pairs.catalog_model_id is not null then lineup_keyed.segment = lower(pairs.catalog_model_id)
                else lineup_keyed.entry_key = keyed.name_key or lineup_keyed.segment = lower(keyed.arena_model) end
),
lineup_pick as (select * from lineup_matches where lineup_rank = 1),
-- Vendor of a name no curated model takes: its lineup model's vendor, else the first model-name
-- rule of vendor_map.yaml (rules without a provider) matching the arena name, else the catalog
-- model's vendor when the catalog lists it on that vendor's own platform (marts.vendor_platforms).
name_rules as (
    select keyed.arena_model, rules.vendor_id,
           row_number() over (partition by keyed.arena_model order by rules.rule_order) as rule_rank
    from keyed
    join staging.stg_facts__vendor_map_rules as rules
        on rules.source = '*' and rules.provider_glob = '*' and lower(keyed.arena_model) glob rules.model_glob
),
-- Where the arena name, or its catalog model, is one of the curated model's own catalog
-- references: the order of that reference (capability_current prefers the entry priced like the model).
ref_positions as (
    select keyed.arena_model, min(refs.ref_order) as catalog_ref_order
    from keyed
    join curated_pick on curated_pick.arena_model = keyed.arena_model and curated_pick.curated_rank = 1
    left join catalog_pick on catalog_pick.arena_model = keyed.arena_model
    join refs
        on refs.model_id = curated_pick.model_id
        and (refs.segment = lower(keyed.arena_model) or refs.segment = catalog_pick.segment)
    group by keyed.arena_model
),
final as (
    select
        keyed.arena_model, keyed.name_key, keyed.variant,
        curated_pick.model_id,
        case
            when curated.vendor_id is not null then curated.vendor_id
            when lineup_pick.vendor_id is not null then lineup_pick.vendor_id
            when name_rules.arena_model is not null then name_rules.vendor_id
            when exists (
                select 1 from marts.vendor_platforms as own
                where own.source = catalog_pick.source and own.provider_id = lower(catalog_pick.provider_id)
                    and own.vendor_id = catalog_pick.vendor_id
            ) then catalog_pick.vendor_id
        end as vendor_id,
        case when curated_pick.model_id is null then lineup_pick.lineup_model_id end as lineup_model_id,
        case when curated_pick.model_id is null then lineup_pick.lineup_key_match end as lineup_key_match,
        coalesce(curated_pick.matched_by, case when curated_pick.model_id is null and lineup_pick.lineup_model_id is not null then 'lineup' end,
                 case when catalog_pick.model_id is not null then 'catalog' end) as matched_by,
        catalog_pick.source as catalog_source, catalog_pick.provider_id as catalog_provider_id,
        catalog_pick.model_id as catalog_model_id,
        ref_positions.catalog_ref_order,
        pairs.note as pair_note
    from keyed
    left join curated_pick on curated_pick.arena_model = keyed.arena_model and curated_pick.curated_rank = 1
    left join curated on curated.model_id = curated_pick.model_id
    left join catalog_pick on catalog_pick.arena_model = keyed.arena_model
    left join ref_positions on ref_positions.arena_model = keyed.arena_model
    left join name_rules on name_rules.arena_model = keyed.arena_model and name_rules.rule_rank = 1
    left join lineup_pick on lineup_pick.arena_model = keyed.arena_model
    left join pairs on pairs.arena_model = keyed.arena_model
    order by keyed.arena_model
)
select * from final
