-- Curated models released by the run's as-of date, with the price in force that day from the
-- first catalog reference that prices them (references are listed in preference order).
with run as (select as_of from raw.run_context),
models as (select * from staging.stg_facts__models),
refs as (select * from staging.stg_facts__model_catalog_refs),
priced_refs as (
    select
        refs.model_id, refs.ref_order, prices.source as price_source, prices.provider_id as price_provider_id,
        prices.model_id as price_model_id, prices.input_usd_per_mtok, prices.output_usd_per_mtok,
        prices.cache_read_usd_per_mtok, prices.valid_from as price_valid_from,
        row_number() over (partition by refs.model_id order by refs.ref_order) as ref_rank
    from refs
    join marts.prices_current as prices
        on prices.source = refs.source
        and prices.model_id = refs.catalog_model_id
        and (refs.provider_id is null or prices.provider_id = refs.provider_id)
    where prices.input_usd_per_mtok is not null or prices.output_usd_per_mtok is not null
),
final as (
    select
        models.model_id, models.vendor_id, models.model_name, models.family, models.model_class,
        models.released_on, models.released_on_precision, models.architecture,
        models.total_params_b, models.active_params_b, models.is_open_weights, models.licence,
        models.context_window_tokens,
        priced_refs.input_usd_per_mtok, priced_refs.output_usd_per_mtok, priced_refs.cache_read_usd_per_mtok,
        priced_refs.price_source, priced_refs.price_provider_id, priced_refs.price_model_id,
        priced_refs.price_valid_from,
        models.source_id, models.source_as_of
    from models
    cross join run
    left join priced_refs on priced_refs.model_id = models.model_id and priced_refs.ref_rank = 1
    where models.released_on is null or models.released_on <= run.as_of
    order by models.vendor_id, models.released_on nulls last, models.model_id
)
select * from final
