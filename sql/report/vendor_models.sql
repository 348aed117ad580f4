-- Every curated model as its vendor's briefing lists it, in release order: facts, the list price
-- in force on the as-of date (USD per million tokens) with the catalog snapshot it comes from,
-- the rank in its class, whether it is the vendor's flagship (marts.vendor_flagships), its price
-- in the vendor's previous edition (NULL when there is none or the catalog entry was not priced
-- then), and how far the other catalog's price is off (disputed_prices).
with previous_prices as (
    select distinct e.run_id, e.source, e.provider_id, e.model_id,
           e.input_usd_per_mtok, e.output_usd_per_mtok
    from history.edition_prices e
    where e.run_id in (select previous_run_id from marts.edition_baseline)
),
final as (
    select
        m.model_id, m.vendor_id, m.model_name, m.model_class, m.released_on, m.released_on_precision,
        m.architecture, m.total_params_b, m.active_params_b, m.is_open_weights, m.licence,
        m.context_window_tokens, m.input_usd_per_mtok, m.output_usd_per_mtok, m.cache_read_usd_per_mtok,
        m.price_source, m.price_provider_id, m.price_model_id, ph.snapshot as price_snapshot,
        mm.class_rank, mm.class_size,
        f.flagship_model_id is not null as is_flagship,
        p.run_id is not null as has_previous_price,
        p.input_usd_per_mtok as previous_input_usd_per_mtok,
        p.output_usd_per_mtok as previous_output_usd_per_mtok,
        d.max_relative_difference as price_max_relative_difference,
        m.source_id, m.source_as_of
    from marts.models m
    left join marts.model_metrics mm using (model_id)
    left join marts.prices_current ph
        on ph.source = m.price_source and ph.provider_id = m.price_provider_id and ph.model_id = m.price_model_id
    left join marts.vendor_flagships f on f.vendor_id = m.vendor_id and f.flagship_model_id = m.model_id
    left join marts.edition_baseline b on b.vendor_id = m.vendor_id
    left join previous_prices p
        on p.run_id = b.previous_run_id and p.source = m.price_source
        and p.provider_id is not distinct from m.price_provider_id and p.model_id = m.price_model_id
    left join report.disputed_prices d
        on d.source = m.price_source and d.model_id = m.price_model_id
        and d.provider_id is not distinct from (case when m.price_source = 'litellm' then null else m.price_provider_id end)
)
select * from final
order by vendor_id, released_on nulls last, model_id
