-- Curated models released by the run's as-of date, with the price in force that day from the
-- first catalog reference that prices them (sql/macros/model_prices_on.sql).
with run as (select as_of from raw.run_context),
models as (select * from staging.stg_facts__models),
prices as (select * from marts.model_prices_on((select as_of from raw.run_context))),
final as (
    select
        models.model_id, models.vendor_id, models.model_name, models.family, models.model_class,
        models.released_on, models.released_on_precision, models.architecture,
        models.total_params_b, models.active_params_b, models.is_open_weights, models.licence,
        models.context_window_tokens,
        prices.input_usd_per_mtok, prices.output_usd_per_mtok, prices.cache_read_usd_per_mtok,
        prices.price_source, prices.price_provider_id, prices.price_model_id,
        prices.price_valid_from,
        models.source_id, models.source_as_of
    from models
    cross join run
    left join prices on prices.model_id = models.model_id
    where models.released_on is null or models.released_on <= run.as_of
    order by models.vendor_id, models.released_on nulls last, models.model_id
)
select * from final
