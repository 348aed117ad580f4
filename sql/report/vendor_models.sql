-- Every model of each vendor's lineup on the as-of date (marts.catalog_lineup) as its briefing
-- lists it: current and deprecated models first (curated ones by release date, then catalog-only
-- ones newest first), then the lineup history (retired and unlisted models). Facts, the shown
-- price (USD per million tokens) with its basis (list: the vendor's platform or pricing page;
-- hosted: median of other hosts), the catalog snapshot it comes from, both catalogs' values and
-- which columns they dispute (marts.lineup_prices), the rank in its class (a range when a
-- disputed price is ranked at both values), whether it is the vendor's flagship
-- (marts.vendor_flagships), and its price in the vendor's previous edition (NULL when there is
-- none or the catalog entry was not priced then).
with previous_prices as (
    select distinct e.run_id, e.source, e.provider_id, e.model_id,
           e.input_usd_per_mtok, e.output_usd_per_mtok
    from history.edition_prices e
    where e.run_id in (select previous_run_id from marts.edition_baseline)
),
final as (
    select
        m.model_id, m.vendor_id, m.model_name, m.is_curated, m.model_class, m.released_on, m.released_on_precision,
        m.first_seen_on, m.aliases, m.architecture, m.total_params_b, m.active_params_b, m.is_open_weights, m.licence,
        m.context_window_tokens, m.status, m.status_note, m.unlisted_since, m.retires_on, m.flagship_family,
        m.input_usd_per_mtok, m.output_usd_per_mtok, m.cache_read_usd_per_mtok,
        m.price_basis, m.price_source, m.price_provider_id, m.price_model_id, m.price_snapshot,
        m.is_free_tier, m.is_cache_read_zero,
        m.genai_model_id, m.genai_snapshot, m.genai_input_usd_per_mtok, m.genai_output_usd_per_mtok,
        m.genai_cache_read_usd_per_mtok,
        m.litellm_model_id, m.litellm_snapshot, m.litellm_input_usd_per_mtok, m.litellm_output_usd_per_mtok,
        m.litellm_cache_read_usd_per_mtok,
        m.list_price_source_id, m.list_price_as_of,
        m.hosted_count, m.hosted_input_min, m.hosted_input_max, m.hosted_output_min, m.hosted_output_max,
        m.hosted_providers, m.hosted_source, m.hosted_input_usd_per_mtok, m.hosted_output_usd_per_mtok,
        coalesce(p.input_disputed, false) as input_disputed, coalesce(p.output_disputed, false) as output_disputed,
        coalesce(p.cache_read_disputed, false) as cache_read_disputed, coalesce(p.is_settled, false) as is_settled,
        coalesce(p.is_ranked, false) as is_ranked, p.excluded_because,
        p.class_rank, p.class_size, p.class_rank_low, p.class_rank_high,
        f.flagship_model_id is not null as is_flagship,
        prev.run_id is not null as has_previous_price,
        prev.input_usd_per_mtok as previous_input_usd_per_mtok,
        prev.output_usd_per_mtok as previous_output_usd_per_mtok,
        m.source_id, m.source_as_of
    from marts.catalog_lineup m
    left join marts.lineup_prices p using (vendor_id, model_id)
    left join marts.vendor_flagships f on f.vendor_id = m.vendor_id and f.flagship_model_id = m.model_id
    left join marts.edition_baseline b on b.vendor_id = m.vendor_id
    left join previous_prices prev
        on prev.run_id = b.previous_run_id and prev.source = m.price_source
        and prev.provider_id is not distinct from m.price_provider_id and prev.model_id = m.price_model_id
)
select * from final
order by vendor_id, status = 'retired', not is_curated,
         case when is_curated then released_on end nulls last, first_seen_on desc nulls last, model_id
