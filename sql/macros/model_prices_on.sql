-- Each curated model's price on a day, from its first catalog reference (references are listed in
-- preference order) that prices it then: an input or an output price in force that day. A
-- reference without a provider matches every provider of the catalog: the smaller provider id wins.
-- marts.models is this on the run's as-of date; the claim audit reads it on each claim's date.
create or replace macro marts.model_prices_on(day) as table
with priced_refs as (
    select
        refs.model_id,
        prices.source as price_source, prices.provider_id as price_provider_id, prices.model_id as price_model_id,
        prices.valid_from as price_valid_from,
        prices.input_usd_per_mtok, prices.output_usd_per_mtok, prices.cache_read_usd_per_mtok,
        row_number() over (
            partition by refs.model_id order by refs.ref_order, prices.provider_id nulls first
        ) as ref_rank
    from staging.stg_facts__model_catalog_refs as refs
    join marts.price_periods_on(day) as prices
        on prices.source = refs.source
        and prices.model_id = refs.catalog_model_id
        and (refs.provider_id is null or prices.provider_id = refs.provider_id)
    where prices.input_usd_per_mtok is not null or prices.output_usd_per_mtok is not null
)
select
    model_id, price_source, price_provider_id, price_model_id, price_valid_from,
    input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok
from priced_refs
where ref_rank = 1
