-- Every catalog entry a vendor's own platform lists (marts.vendor_platforms) of a model
-- the vendor makes (marts.catalog_vendor_map), up to the run's as-of date, with the lineup model
-- it belongs to (lineup_model_id) and how it was grouped (matched_by), tried in this order:
--   curated      a curated model's catalog_refs name the entry: every ref belongs to that model;
--   latest       a `-latest` id joins the newest listed model of the same base (the id without
--                `-latest`, or that id without its version numbers: gemini-flash-latest and
--                gemini-2.5-flash) whose current price it has (input and output, zero prices
--                left out); else a LiteLLM one joins the genai-prices model whose match clause
--                answers to it (below) when that model has its price or it has none to compare;
--                else it is left out (lineup_model_id NULL): it names a model we cannot identify;
--   genai match  a LiteLLM id that a genai-prices model's own match clause answers to joins that
--                model (genai-prices' rule: its first matching model, then the compact date
--                `-20251211` retried as `-2025-12-11`);
--   dated suffix a LiteLLM id with a dated or `.0` suffix (-2512, -20251101, -2024-08-06, -001,
--                -4-0) joins its base id when the same catalog (else the other) prices both alike;
--   own          the entry is a model of its own (genai-prices models always are, unless a rule
--                above applies: genai-prices' own grouping is authoritative).
-- Prices are those in force on the as-of date (USD per million tokens, NULL when not listed).
-- first_seen_on: the earliest date a catalog's history shows the entry listed (a period's
-- valid_from, or the day before the end of a period open since the catalog's first record).
with run as (select as_of from raw.run_context),
platforms as (select source, provider_id, vendor_id from marts.vendor_platforms),
own_periods as (
    select h.*
    from marts.price_history as h
    join platforms as p
        on p.source = h.source and p.provider_id = lower(h.provider_id) and p.vendor_id = h.vendor_id
    cross join run
    where h.valid_from is null or h.valid_from <= run.as_of
),
-- LiteLLM deprecation dates as the latest snapshot on or before the as-of date states them
litellm_deprecations as (
    select prices.model_id, prices.deprecated_on
    from staging.stg_litellm__prices as prices
    join staging.stg_litellm__snapshots as snapshots on snapshots.snapshot_id = prices.snapshot
    cross join run
    where snapshots.snapshot_on <= run.as_of
    qualify row_number() over (partition by prices.model_id order by snapshots.snapshot_on desc) = 1
),
entries as (
    select
        own.source, own.provider_id, own.model_id, any_value(own.vendor_id) as vendor_id,
        lower(case when own.source = 'litellm' then regexp_replace(own.model_id, '^[^/]+/', '') else own.model_id end)
            as bare_id,
        min(coalesce(own.valid_from, own.valid_to - interval 1 day))::date as first_seen_on,
        bool_or(own.valid_to is null or own.valid_to > run.as_of) as is_listed,
        max(own.valid_to) filter (where own.valid_to <= run.as_of) as last_listed_to,
        arg_max(own.snapshot, coalesce(own.valid_from, date '1900-01-01')) as snapshot,
        arg_max(own.model_name, coalesce(own.valid_from, date '1900-01-01')) as model_name,
        arg_max(own.mode, coalesce(own.valid_from, date '1900-01-01')) as mode,
        arg_max(own.context_window_tokens, coalesce(own.valid_from, date '1900-01-01')) as context_window_tokens,
        -- the catalog's flag as the period in force (else the last one listed) states it
        arg_max(own.is_deprecated, coalesce(own.valid_from, date '1900-01-01')) as is_deprecated,
        -- the price on the as-of date, else the last price listed
        arg_max(own.input_usd_per_mtok, coalesce(own.valid_from, date '1900-01-01')) as last_input_usd_per_mtok,
        arg_max(own.output_usd_per_mtok, coalesce(own.valid_from, date '1900-01-01')) as last_output_usd_per_mtok,
        bool_or(own.output_usd_per_mtok is not null) as has_output_price
    from own_periods as own
    cross join run
    group by own.source, own.provider_id, own.model_id
),
current_prices as (
    select source, provider_id, model_id, valid_from as price_valid_from,
           input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok, cache_write_usd_per_mtok
    from marts.prices_current
),
priced as (
    select entries.*, cp.price_valid_from,
        cp.input_usd_per_mtok, cp.output_usd_per_mtok, cp.cache_read_usd_per_mtok, cp.cache_write_usd_per_mtok,
        dep.deprecated_on,
        -- a price for comparing entries: the one on the as-of date, else the last one listed
        coalesce(cp.input_usd_per_mtok, entries.last_input_usd_per_mtok) as compare_input,
        coalesce(cp.output_usd_per_mtok, entries.last_output_usd_per_mtok) as compare_output
    from entries
    left join current_prices as cp using (source, provider_id, model_id)
    left join litellm_deprecations as dep
        on entries.source = 'litellm' and dep.model_id = entries.model_id
),
-- curated catalog_refs on the vendor's own platform: a ref without provider names the LiteLLM key
curated as (
    select priced.source, priced.provider_id, priced.model_id,
           arg_min(refs.model_id, (refs.ref_order, refs.model_id)) as curated_model_id, min(refs.ref_order) as ref_order
    from priced
    join staging.stg_facts__model_catalog_refs as refs
        on refs.source = priced.source and refs.catalog_model_id = priced.model_id
        and (refs.provider_id is null or refs.provider_id = priced.provider_id)
    join staging.stg_facts__models as models
        on models.model_id = refs.model_id and models.vendor_id = priced.vendor_id
    group by all
),
-- genai-prices' match clauses, tried on LiteLLM ids against the genai-prices platforms of the same vendor
genai_platforms as (select provider_id, vendor_id from platforms where source = 'genai-prices'),
candidates as (
    select priced.model_id as litellm_model_id, priced.vendor_id, 1 as try_order, priced.bare_id as candidate_id
    from priced where priced.source = 'litellm'
    union all
    select priced.model_id, priced.vendor_id, 2, regexp_replace(priced.bare_id, '-(\d{4})(\d{2})(\d{2})$', '-\1-\2-\3')
    from priced where priced.source = 'litellm' and regexp_matches(priced.bare_id, '-\d{8}$')
),
clauses as (
    select c.provider_id, c.model_id, c.model_order, c.branch, c.kind,
           case when c.is_portable then c.pattern end as pattern, gp.vendor_id
    from staging.stg_genai_prices__match_clauses as c
    join genai_platforms as gp on gp.provider_id = lower(c.provider_id)
),
condition_hits as (
    select candidates.litellm_model_id, candidates.try_order, clauses.provider_id, clauses.model_id,
           clauses.model_order, clauses.branch,
           coalesce(case clauses.kind
               when 'equals' then candidates.candidate_id = clauses.pattern
               when 'starts_with' then starts_with(candidates.candidate_id, clauses.pattern)
               when 'ends_with' then ends_with(candidates.candidate_id, clauses.pattern)
               when 'contains' then contains(candidates.candidate_id, clauses.pattern)
               when 'regex' then regexp_matches(candidates.candidate_id, clauses.pattern)
           end, false) as hit
    from candidates
    join clauses on clauses.vendor_id = candidates.vendor_id
),
branch_hits as (
    select litellm_model_id, try_order, provider_id, model_id, model_order
    from condition_hits
    group by litellm_model_id, try_order, provider_id, model_id, model_order, branch
    having bool_and(hit)
),
genai_matched as (
    select litellm_model_id, provider_id as genai_provider_id, model_id as genai_model_id
    from branch_hits
    qualify row_number() over (partition by litellm_model_id order by try_order, provider_id, model_order) = 1
),
-- genai-prices entries: their group before the `-latest` and suffix rules
genai_groups as (
    select priced.provider_id, priced.model_id, priced.input_usd_per_mtok, priced.output_usd_per_mtok,
           coalesce(curated.curated_model_id, priced.model_id) as group_key,
           curated.curated_model_id is not null as is_curated_ref
    from priced
    left join curated using (source, provider_id, model_id)
    where priced.source = 'genai-prices'
),
first_pass as (
    select priced.*,
        coalesce(curated.curated_model_id,
                 case when priced.source = 'genai-prices' and priced.bare_id not like '%-latest' then priced.model_id end,
                 case when priced.source = 'litellm' and priced.bare_id not like '%-latest' then genai_groups.group_key end
        ) as first_group,
        case
            when curated.curated_model_id is not null then 'curated'
            when priced.bare_id like '%-latest' then 'latest'
            when priced.source = 'genai-prices' then 'own'
            when genai_groups.group_key is not null then 'genai match'
        end as first_matched_by,
        curated.curated_model_id, curated.ref_order as curated_ref_order,
        genai_matched.genai_provider_id as genai_match_provider_id, genai_matched.genai_model_id as genai_match_model_id
    from priced
    left join curated using (source, provider_id, model_id)
    left join genai_matched on priced.source = 'litellm' and genai_matched.litellm_model_id = priced.model_id
    left join genai_groups
        on genai_groups.provider_id = genai_matched.genai_provider_id and genai_groups.model_id = genai_matched.genai_model_id
),
-- LiteLLM ids left alone: a dated or `.0` suffix joins the base id's group when priced alike
suffixed as (
    select *,
        case
            when regexp_matches(bare_id, '-\d{4}-\d{2}-\d{2}$') then regexp_replace(bare_id, '-\d{4}-\d{2}-\d{2}$', '')
            when regexp_matches(bare_id, '-\d{8}$') then regexp_replace(bare_id, '-\d{8}$', '')
            when regexp_matches(bare_id, '-\d{3,4}$') then regexp_replace(bare_id, '-\d{3,4}$', '')
            when regexp_matches(bare_id, '-\d+-0$') then regexp_replace(bare_id, '-0$', '')
        end as base_id
    from first_pass
    where first_group is null and first_matched_by is null
),
suffix_matches as (
    select suffixed.source, suffixed.provider_id, suffixed.model_id, coalesce(base.first_group, base.bare_id) as group_key
    from suffixed
    join first_pass as base
        on base.vendor_id = suffixed.vendor_id and base.bare_id = suffixed.base_id
        and (base.first_group is not null or base.first_matched_by is null)
        and base.compare_input is not distinct from suffixed.compare_input
        and base.compare_output is not distinct from suffixed.compare_output
    qualify row_number() over (
        partition by suffixed.source, suffixed.provider_id, suffixed.model_id
        order by (base.source = suffixed.source) desc, base.source, base.model_id, base.provider_id) = 1
),
second_pass as (
    select first_pass.*,
        coalesce(first_pass.first_group, suffix_matches.group_key,
                 case when first_pass.first_matched_by is null then first_pass.bare_id end) as group_key,
        coalesce(first_pass.first_matched_by, case when suffix_matches.group_key is not null then 'dated suffix' else 'own' end)
            as matched_by
    from first_pass
    left join suffix_matches using (source, provider_id, model_id)
),
-- the groups formed so far, with what `-latest` ids are compared with
groups as (
    select second_pass.vendor_id, second_pass.group_key,
           list(distinct array_to_string(list_filter(string_split(second_pass.bare_id, '-'),
                                                     lambda x: not regexp_full_match(x, '\d+(\.\d+)*')), '-')) as stems,
           list(distinct second_pass.bare_id) as bare_ids,
           max(models.released_on) as released_on,
           min(second_pass.first_seen_on) as first_seen_on
    from second_pass
    left join staging.stg_facts__models as models on models.model_id = second_pass.group_key
    where second_pass.matched_by <> 'latest'
    group by all
    having bool_or(second_pass.is_listed)
),
latest_ids as (
    select *, regexp_replace(bare_id, '-latest$', '') as base_id
    from second_pass where matched_by = 'latest'
),
latest_matches as (
    select latest_ids.source, latest_ids.provider_id, latest_ids.model_id, groups.group_key
    from latest_ids
    join groups
        on groups.vendor_id = latest_ids.vendor_id
        and (list_contains(groups.stems, latest_ids.base_id)
             or list_bool_or(list_transform(groups.bare_ids, lambda b: b = latest_ids.base_id or starts_with(b, latest_ids.base_id || '-'))))
    -- priced alike: a listed member of the group has the same input and output price today
    join second_pass as member
        on member.vendor_id = groups.vendor_id and member.group_key = groups.group_key and member.matched_by <> 'latest'
        and member.is_listed
        and member.input_usd_per_mtok = latest_ids.input_usd_per_mtok
        and member.output_usd_per_mtok = latest_ids.output_usd_per_mtok
    where latest_ids.input_usd_per_mtok > 0 or latest_ids.output_usd_per_mtok > 0
    qualify row_number() over (
        partition by latest_ids.source, latest_ids.provider_id, latest_ids.model_id
        order by coalesce(groups.released_on, groups.first_seen_on) desc nulls last, groups.group_key) = 1
),
final as (
    select
        second_pass.vendor_id, second_pass.source, second_pass.provider_id, second_pass.model_id,
        second_pass.bare_id, second_pass.model_name, second_pass.snapshot, second_pass.mode,
        case when second_pass.matched_by <> 'latest' then second_pass.group_key
             else coalesce(latest_matches.group_key, latest_fallback.group_key) end as lineup_model_id,
        case when second_pass.matched_by <> 'latest' or latest_matches.group_key is not null then second_pass.matched_by
             when latest_fallback.group_key is not null then 'genai match'
             else 'latest' end as matched_by,
        second_pass.curated_model_id, second_pass.curated_ref_order,
        second_pass.genai_match_model_id,
        second_pass.first_seen_on, second_pass.is_listed, second_pass.last_listed_to,
        second_pass.is_deprecated, second_pass.deprecated_on, second_pass.has_output_price,
        second_pass.context_window_tokens, second_pass.price_valid_from,
        second_pass.input_usd_per_mtok, second_pass.output_usd_per_mtok,
        second_pass.cache_read_usd_per_mtok, second_pass.cache_write_usd_per_mtok
    from second_pass
    left join latest_matches using (source, provider_id, model_id)
    left join genai_groups as latest_fallback
        on second_pass.matched_by = 'latest' and second_pass.source = 'litellm'
        and latest_fallback.provider_id = second_pass.genai_match_provider_id
        and latest_fallback.model_id = second_pass.genai_match_model_id
        -- only when the alias has no price to compare, or the genai-prices model has its price
        and (coalesce(second_pass.input_usd_per_mtok, 0) = 0 and coalesce(second_pass.output_usd_per_mtok, 0) = 0
             or (latest_fallback.input_usd_per_mtok = second_pass.input_usd_per_mtok
                 and latest_fallback.output_usd_per_mtok = second_pass.output_usd_per_mtok))
    order by second_pass.vendor_id, lineup_model_id nulls last, second_pass.source, second_pass.model_id
)
select * from final
