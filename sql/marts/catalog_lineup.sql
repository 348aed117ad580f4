-- Each vendor's lineup on the run's as-of date: one row per model its own platforms list or
-- listed in either catalog (marts.lineup_entries groups their ids into models), and per curated
-- model released by then. Catalog-only models are the text-generation ones (a LiteLLM entry in
-- chat, responses or completion mode; else a genai-prices entry with an output price); curated
-- models are all kept. Curated facts (class, release date, parameters, licence) enrich the model
-- whose ids their catalog_refs name.
--
-- Lifecycle (status): `retired` when no catalog lists the model any more (unlisted_since: the
-- day the last listing ended), when the catalog with the most recent observation dropped it
-- while an older one still lists it, when every LiteLLM entry listing it has a deprecation date
-- on or before the as-of date, or when genai-prices flags every entry listing it deprecated;
-- `deprecated` when every LiteLLM entry listing it carries a later deprecation date (retires_on);
-- else `current`. Curated models never listed on the vendor's own platform take their status
-- from the hosts their catalog_refs name.
--
-- Prices (USD per million tokens): each catalog's own-platform price (its primary entry: a
-- curated ref first, else the entry named like the model, else an id that is not an alias),
-- zero prices left out; the shown price (price_basis):
--   list     the curated list_price (the vendor's pricing page) when one is dated by the as-of
--            date, else the own-platform price of the curated model's first catalog ref, else
--            genai-prices', else LiteLLM's;
--   hosted   (price_source: the host's catalog when one host prices it, else `hosted`)
--            a curated model without a paid price on its vendor's own platform (Meta's Llama
--            models: its Llama API lists them unpriced): the median of the hosts its catalog_refs
--            name that price it that day (hosted_min/max: the range, hosted_count the hosts; the
--            cache-read price: the median of the hosts that charge one);
--   NULL     no price: a retired model, or only zero prices (is_free_tier: a free tier or an
--            unknown price, never a list price).
-- A zero cache-read price beside a paid input price is no cache price (cache_read NULL,
-- is_cache_read_zero). Relative differences between the catalogs are |litellm - genai| / genai
-- per column; the metrics stage applies quality.reconciliation_tolerance to them.
-- flagship_family: the first of the vendor's flagship_families (data/README.md; without any, the
-- families of its curated flagship-class models) that the model's curated family equals or its
-- name or id matches; the metrics stage picks the newest current one as the edition's flagship.
with run as (select as_of from raw.run_context),
entries as (select * from marts.lineup_entries where lineup_model_id is not null),
platforms as (select source, provider_id, vendor_id from marts.vendor_platforms),
curated as (
    select models.* from staging.stg_facts__models as models cross join run
    where models.released_on is null or models.released_on <= run.as_of
),
-- how recent each catalog's knowledge is on the as-of date: the date of its latest snapshot by then
observed as (
    select
        (select max(snapshot_on) from staging.stg_litellm__snapshots, run where snapshot_on <= run.as_of) as litellm_on,
        (select max(snapshot_on) from staging.stg_genai_prices__snapshots, run where snapshot_on <= run.as_of) as genai_on
),
grouped as (
    select
        entries.vendor_id, entries.lineup_model_id as model_id,
        arg_min(entries.model_name, (entries.model_id <> entries.lineup_model_id, entries.model_id, entries.source, entries.provider_id))
            filter (where entries.model_name is not null) as catalog_name,
        min(entries.first_seen_on) filter (where entries.matched_by <> 'latest') as first_seen_on,
        bool_or(entries.is_listed) as is_listed,
        max(entries.last_listed_to) as last_listed_to,
        list(distinct entries.bare_id order by entries.bare_id) filter (where entries.is_listed) as aliases,
        bool_or(entries.source = 'litellm' and entries.mode in ('chat', 'responses', 'completion')) as has_text_mode,
        bool_or(entries.source = 'litellm' and entries.mode is not null) as has_mode,
        bool_or(entries.source = 'genai-prices' and entries.has_output_price) as has_genai_output_price,
        -- per catalog: listed at some point, listed today
        bool_or(entries.source = 'litellm') as litellm_ever,
        bool_or(entries.source = 'litellm' and entries.is_listed) as litellm_listed,
        max(entries.last_listed_to) filter (where entries.source = 'litellm') as litellm_last_listed_to,
        bool_or(entries.source = 'genai-prices') as genai_ever,
        bool_or(entries.source = 'genai-prices' and entries.is_listed) as genai_listed,
        max(entries.last_listed_to) filter (where entries.source = 'genai-prices') as genai_last_listed_to,
        -- lifecycle signals of the entries listing the model today
        bool_and(coalesce(entries.deprecated_on <= run.as_of, false)) filter (where entries.source = 'litellm' and entries.is_listed)
            as litellm_all_past_deprecation,
        bool_and(entries.deprecated_on is not null) filter (where entries.source = 'litellm' and entries.is_listed)
            as litellm_all_dated,
        max(entries.deprecated_on) filter (where entries.source = 'litellm' and entries.is_listed) as latest_deprecation_on,
        bool_and(entries.is_deprecated) filter (where entries.source = 'genai-prices' and entries.is_listed)
            as genai_all_flagged,
        bool_or(entries.is_listed and (coalesce(entries.input_usd_per_mtok, 0) > 0 or coalesce(entries.output_usd_per_mtok, 0) > 0))
            as has_paid_price,
        bool_or(entries.is_listed and (entries.input_usd_per_mtok = 0 or entries.output_usd_per_mtok = 0)
                and coalesce(entries.input_usd_per_mtok, 0) = 0 and coalesce(entries.output_usd_per_mtok, 0) = 0)
            as has_zero_price,
        max(entries.context_window_tokens) as catalog_context_window_tokens
    from entries
    cross join run
    group by all
),
-- each catalog's primary own-platform entry listing the model today (a paid price first); two
-- platforms of one vendor listing the same id (Z.ai in USD, BigModel in CNY) go by the order of
-- vendor_map.yaml `platforms:`, so that the choice never depends on row order
primary_entries as (
    select entries.*,
        coalesce(entries.input_usd_per_mtok, 0) > 0 or coalesce(entries.output_usd_per_mtok, 0) > 0 as is_paid
    from entries
    left join marts.vendor_platforms as platform
        on platform.source = entries.source and platform.provider_id = lower(entries.provider_id)
        and platform.vendor_id = entries.vendor_id
    where entries.is_listed
    qualify row_number() over (
        partition by entries.vendor_id, entries.lineup_model_id, entries.source
        order by (coalesce(entries.input_usd_per_mtok, 0) > 0 or coalesce(entries.output_usd_per_mtok, 0) > 0) desc,
                 entries.curated_ref_order nulls last,
                 (entries.bare_id = entries.lineup_model_id or entries.model_id = entries.lineup_model_id) desc,
                 (entries.matched_by = 'latest'), entries.model_id,
                 platform.platform_order nulls last, entries.provider_id) = 1
),
genai_primary as (select * from primary_entries where source = 'genai-prices' and is_paid),
litellm_primary as (select * from primary_entries where source = 'litellm' and is_paid),
-- the catalog of a curated model's first ref on its own platform
first_ref as (
    select vendor_id, lineup_model_id, arg_min(source, curated_ref_order) as source
    from entries where curated_ref_order is not null
    group by all
),
list_prices as (
    select lp.* from staging.stg_facts__model_list_prices as lp cross join run where lp.source_as_of <= run.as_of
),
-- hosts: a curated model's refs outside its vendor's own platforms, priced today (zero prices left out)
host_prices as (
    select refs.model_id, prices.source, prices.provider_id, prices.model_id as host_model_id,
           prices.snapshot as host_snapshot, prices.valid_from as host_valid_from,
           prices.input_usd_per_mtok, prices.output_usd_per_mtok, nullif(prices.cache_read_usd_per_mtok, 0) as cache_read_usd_per_mtok
    from staging.stg_facts__model_catalog_refs as refs
    join curated on curated.model_id = refs.model_id
    join marts.prices_current as prices
        on prices.source = refs.source and prices.model_id = refs.catalog_model_id
        and (refs.provider_id is null or prices.provider_id = refs.provider_id)
    anti join platforms
        on platforms.source = prices.source and platforms.provider_id = lower(prices.provider_id)
        and platforms.vendor_id = curated.vendor_id
    where prices.input_usd_per_mtok > 0 and prices.output_usd_per_mtok > 0
),
hosted as (
    select model_id, count(*) as hosted_count,
           median(input_usd_per_mtok) as hosted_input_usd_per_mtok, median(output_usd_per_mtok) as hosted_output_usd_per_mtok,
           median(cache_read_usd_per_mtok) as hosted_cache_read_usd_per_mtok,
           min(input_usd_per_mtok) as hosted_input_min, max(input_usd_per_mtok) as hosted_input_max,
           min(output_usd_per_mtok) as hosted_output_min, max(output_usd_per_mtok) as hosted_output_max,
           list(distinct provider_id order by provider_id) as hosted_providers,
           min(source) as hosted_source,
           -- the host's entry, when one host prices it
           case when count(*) = 1 then any_value(provider_id) end as host_provider_id,
           case when count(*) = 1 then any_value(host_model_id) end as host_model_id,
           case when count(*) = 1 then any_value(host_snapshot) end as host_snapshot,
           case when count(*) = 1 then any_value(host_valid_from) end as host_valid_from
    from host_prices
    group by model_id
),
models as (
    -- catalog models, and curated models no own platform lists
    select grouped.vendor_id, grouped.model_id from grouped
    union
    select curated.vendor_id, curated.model_id from curated
),
joined as (
    select
        models.vendor_id, models.model_id,
        curated.model_id is not null as is_curated,
        coalesce(curated.model_name, grouped.catalog_name, models.model_id) as model_name,
        curated.family, curated.model_class, curated.released_on, curated.released_on_precision,
        curated.architecture, curated.total_params_b, curated.active_params_b, curated.is_open_weights,
        curated.licence,
        coalesce(curated.context_window_tokens, grouped.catalog_context_window_tokens) as context_window_tokens,
        curated.source_id, curated.source_as_of,
        grouped.first_seen_on, grouped.aliases,
        grouped.model_id is not null as on_own_platform,
        coalesce(grouped.is_listed, false) as is_listed_own,
        grouped.last_listed_to,
        curated.model_id is not null or grouped.has_text_mode
            or (not grouped.has_mode and grouped.has_genai_output_price) as is_text_generation,
        grouped.litellm_ever, grouped.litellm_listed, grouped.litellm_last_listed_to,
        grouped.genai_ever, grouped.genai_listed, grouped.genai_last_listed_to,
        grouped.litellm_all_past_deprecation, grouped.litellm_all_dated, grouped.latest_deprecation_on,
        grouped.genai_all_flagged,
        coalesce(grouped.has_paid_price, false) as has_paid_price,
        coalesce(grouped.has_zero_price, false) as has_zero_price,
        g.model_id as genai_model_id, g.provider_id as genai_provider_id, g.snapshot as genai_snapshot,
        g.price_valid_from as genai_valid_from,
        g.input_usd_per_mtok as genai_input_usd_per_mtok, g.output_usd_per_mtok as genai_output_usd_per_mtok,
        g.cache_read_usd_per_mtok as genai_cache_read_usd_per_mtok,
        l.model_id as litellm_model_id, l.provider_id as litellm_provider_id, l.snapshot as litellm_snapshot,
        l.price_valid_from as litellm_valid_from,
        l.input_usd_per_mtok as litellm_input_usd_per_mtok, l.output_usd_per_mtok as litellm_output_usd_per_mtok,
        l.cache_read_usd_per_mtok as litellm_cache_read_usd_per_mtok,
        first_ref.source as first_ref_source,
        list_prices.input_usd_per_mtok as list_input_usd_per_mtok, list_prices.output_usd_per_mtok as list_output_usd_per_mtok,
        list_prices.source_id as list_price_source_id, list_prices.source_as_of as list_price_as_of,
        hosted.hosted_count, hosted.hosted_input_usd_per_mtok, hosted.hosted_output_usd_per_mtok,
        hosted.hosted_cache_read_usd_per_mtok, hosted.hosted_input_min, hosted.hosted_input_max, hosted.hosted_output_min, hosted.hosted_output_max,
        hosted.hosted_providers, hosted.hosted_source,
        hosted.host_provider_id, hosted.host_model_id, hosted.host_snapshot, hosted.host_valid_from
    from models
    left join curated on curated.model_id = models.model_id and curated.vendor_id = models.vendor_id
    left join grouped on grouped.model_id = models.model_id and grouped.vendor_id = models.vendor_id
    left join genai_primary as g on g.vendor_id = models.vendor_id and g.lineup_model_id = models.model_id
    left join litellm_primary as l on l.vendor_id = models.vendor_id and l.lineup_model_id = models.model_id
    left join first_ref on first_ref.vendor_id = models.vendor_id and first_ref.lineup_model_id = models.model_id
    left join list_prices on list_prices.model_id = models.model_id and curated.model_id is not null
    left join hosted on hosted.model_id = models.model_id and curated.model_id is not null
        and not coalesce(grouped.has_paid_price, false)
),
lifecycle as (
    select joined.*,
        case
            when not on_own_platform then hosted_count is null
            else not is_listed_own
        end as is_unlisted,
        -- the catalog with the most recent observation dropped it while an older one lists it
        (litellm_ever and not litellm_listed and genai_listed and observed.litellm_on > observed.genai_on)
            or (genai_ever and not genai_listed and litellm_listed and observed.genai_on > observed.litellm_on)
            as is_dropped,
        case when litellm_ever and not litellm_listed then litellm_last_listed_to
             when genai_ever and not genai_listed then genai_last_listed_to end as dropped_on,
        case when litellm_ever and not litellm_listed then 'LiteLLM' else 'genai-prices' end as dropped_by
    from joined
    cross join observed
),
status as (
    select lifecycle.*,
        case
            when is_unlisted then 'retired'
            when is_dropped then 'retired'
            when coalesce(litellm_all_past_deprecation, false) then 'retired'
            when coalesce(genai_all_flagged, false) then 'retired'
            when coalesce(litellm_all_dated, false) then 'deprecated'
            else 'current'
        end as status,
        case
            when is_unlisted and on_own_platform then 'unlisted since ' || strftime(last_listed_to, '%Y-%m-%d')
            when is_unlisted then 'no catalog lists it'
            when is_dropped then 'dropped by ' || dropped_by || ' on ' || strftime(dropped_on, '%Y-%m-%d')
            when coalesce(litellm_all_past_deprecation, false) then 'deprecation date ' || strftime(latest_deprecation_on, '%Y-%m-%d') || ' passed (LiteLLM)'
            when coalesce(genai_all_flagged, false) then 'flagged deprecated by genai-prices'
            when coalesce(litellm_all_dated, false) then 'retires on ' || strftime(latest_deprecation_on, '%Y-%m-%d') || ' (LiteLLM)'
        end as status_note,
        case when is_unlisted and on_own_platform then last_listed_to end as unlisted_since,
        case when coalesce(litellm_all_dated, false) and not coalesce(litellm_all_past_deprecation, false)
             then latest_deprecation_on end as retires_on
    from lifecycle
),
-- a vendor without flagship_families: the families of its curated flagship-class models
vendor_families as (
    select vendors.vendor_id,
           case when len(vendors.flagship_families) > 0 then vendors.flagship_families
                else list_sort(list_distinct(list(models.family) filter (where models.model_class = 'flagship')))
           end as flagship_families
    from staging.stg_facts__vendors as vendors
    left join curated as models on models.vendor_id = vendors.vendor_id
    group by vendors.vendor_id, vendors.flagship_families
),
families as (
    select vendor_id, family, family_order,
           '^' || replace(regexp_replace(regexp_replace(replace(lower(family), '+', '-plus'), '[^a-z0-9*]+', '-', 'g'), '^-+|-+$', '', 'g'),
                          '*', '\d+(-\d+)*')
               || '(-\d+)*(-preview|-latest)*$' as family_regex
    from (select vendor_id, unnest(flagship_families) as family,
                 generate_subscripts(flagship_families, 1) as family_order
          from vendor_families)
),
family_matches as (
    select status.vendor_id, status.model_id, arg_min(families.family, families.family_order) as flagship_family
    from status
    join families
        on families.vendor_id = status.vendor_id
        and (lower(status.family) = lower(families.family)
             or regexp_full_match(regexp_replace(regexp_replace(replace(lower(status.model_name), '+', '-plus'), '[^a-z0-9]+', '-', 'g'), '^-+|-+$', '', 'g'),
                               families.family_regex)
             or regexp_full_match(regexp_replace(regexp_replace(replace(lower(status.model_id), '+', '-plus'), '[^a-z0-9]+', '-', 'g'), '^-+|-+$', '', 'g'),
                                  families.family_regex))
    group by all
),
priced as (
    select status.*, family_matches.flagship_family,
        -- the catalog whose own-platform price is shown
        case
            when status.status = 'retired' then null
            when first_ref_source = 'genai-prices' and genai_model_id is not null then 'genai-prices'
            when first_ref_source = 'litellm' and litellm_model_id is not null then 'litellm'
            when genai_model_id is not null then 'genai-prices'
            when litellm_model_id is not null then 'litellm'
        end as own_source
    from status
    left join family_matches using (vendor_id, model_id)
),
-- the entry whose price is shown: the own-platform catalog's primary entry, else the host's
shown as (
    select priced.*,
        case priced.own_source
            when 'genai-prices' then {
                'provider_id': priced.genai_provider_id, 'model_id': priced.genai_model_id,
                'snapshot': priced.genai_snapshot, 'valid_from': priced.genai_valid_from,
                'input': priced.genai_input_usd_per_mtok, 'output': priced.genai_output_usd_per_mtok,
                'cache_read': priced.genai_cache_read_usd_per_mtok}
            when 'litellm' then {
                'provider_id': priced.litellm_provider_id, 'model_id': priced.litellm_model_id,
                'snapshot': priced.litellm_snapshot, 'valid_from': priced.litellm_valid_from,
                'input': priced.litellm_input_usd_per_mtok, 'output': priced.litellm_output_usd_per_mtok,
                'cache_read': priced.litellm_cache_read_usd_per_mtok}
            else {
                'provider_id': priced.host_provider_id, 'model_id': priced.host_model_id,
                'snapshot': priced.host_snapshot, 'valid_from': priced.host_valid_from,
                'input': priced.hosted_input_usd_per_mtok, 'output': priced.hosted_output_usd_per_mtok,
                'cache_read': priced.hosted_cache_read_usd_per_mtok}
        end as entry
    from priced
),
final as (
    select
        run.as_of, priced.vendor_id, priced.model_id, priced.model_name, priced.is_curated,
        priced.family, priced.model_class, priced.released_on, priced.released_on_precision,
        priced.architecture, priced.total_params_b, priced.active_params_b, priced.is_open_weights,
        priced.licence, priced.context_window_tokens, priced.first_seen_on, priced.aliases,
        priced.on_own_platform, priced.is_text_generation, priced.flagship_family,
        priced.status, priced.status_note, priced.unlisted_since, priced.retires_on,
        case
            when priced.status = 'retired' then null
            when priced.list_input_usd_per_mtok is not null then 'list'
            when priced.own_source is not null then 'list'
            when priced.hosted_count is not null then 'hosted'
        end as price_basis,
        case
            when priced.status = 'retired' then null
            when priced.list_input_usd_per_mtok is not null then 'curated'
            when priced.own_source is not null then priced.own_source
            when priced.hosted_count = 1 then priced.hosted_source
            when priced.hosted_count is not null then 'hosted'
        end as price_source,
        priced.entry.provider_id as price_provider_id, priced.entry.model_id as price_model_id,
        priced.entry.snapshot as price_snapshot, priced.entry.valid_from as price_valid_from,
        case when priced.status <> 'retired' then coalesce(priced.list_input_usd_per_mtok, priced.entry.input) end
            as input_usd_per_mtok,
        case when priced.status <> 'retired' then
            case when priced.list_input_usd_per_mtok is not null then priced.list_output_usd_per_mtok else priced.entry.output end
        end as output_usd_per_mtok,
        case
            when priced.status = 'retired' then null
            when priced.own_source is not null then nullif(priced.entry.cache_read, 0)
            when priced.list_input_usd_per_mtok is null then priced.entry.cache_read
        end as cache_read_usd_per_mtok,
        coalesce(priced.own_source is not null and priced.entry.cache_read = 0, false) as is_cache_read_zero,
        priced.status <> 'retired' and not priced.has_paid_price and priced.has_zero_price as is_free_tier,
        priced.genai_provider_id, priced.genai_model_id, priced.genai_snapshot,
        priced.genai_input_usd_per_mtok, priced.genai_output_usd_per_mtok, priced.genai_cache_read_usd_per_mtok,
        priced.litellm_model_id, priced.litellm_snapshot,
        priced.litellm_input_usd_per_mtok, priced.litellm_output_usd_per_mtok, priced.litellm_cache_read_usd_per_mtok,
        abs(priced.litellm_input_usd_per_mtok - priced.genai_input_usd_per_mtok) / nullif(priced.genai_input_usd_per_mtok, 0)
            as input_relative_difference,
        abs(priced.litellm_output_usd_per_mtok - priced.genai_output_usd_per_mtok) / nullif(priced.genai_output_usd_per_mtok, 0)
            as output_relative_difference,
        abs(nullif(priced.litellm_cache_read_usd_per_mtok, 0) - nullif(priced.genai_cache_read_usd_per_mtok, 0))
            / nullif(priced.genai_cache_read_usd_per_mtok, 0) as cache_read_relative_difference,
        priced.list_input_usd_per_mtok, priced.list_output_usd_per_mtok, priced.list_price_source_id, priced.list_price_as_of,
        priced.hosted_count, priced.hosted_input_usd_per_mtok, priced.hosted_output_usd_per_mtok,
        priced.hosted_input_min, priced.hosted_input_max, priced.hosted_output_min, priced.hosted_output_max,
        priced.hosted_providers, priced.hosted_source,
        priced.source_id, priced.source_as_of
    from shown as priced
    cross join run
    where priced.is_text_generation
    order by priced.vendor_id, priced.model_id
)
select * from final
