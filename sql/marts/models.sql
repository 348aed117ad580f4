-- Curated models released by the run's as-of date, as the lineup of that date has them
-- (marts.catalog_lineup): their curated facts, lifecycle status and the price shown for them
-- (price_basis list: the vendor's own platform or its pricing page; hosted: the median of other
-- hosts; NULL: retired, free tier or unpriced). Prices in USD per million tokens.
with lineup as (select * from marts.catalog_lineup where is_curated),
final as (
    select
        model_id, vendor_id, model_name, family, model_class, released_on, released_on_precision, architecture,
        total_params_b, active_params_b, is_open_weights, licence, context_window_tokens,
        input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok,
        price_source, price_provider_id, price_model_id, price_valid_from,
        status, status_note, price_basis, is_free_tier, flagship_family,
        source_id, source_as_of
    from lineup
    order by vendor_id, released_on nulls last, model_id
)
select * from final
