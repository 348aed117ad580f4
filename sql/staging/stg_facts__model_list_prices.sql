-- Curated list prices (a model's `list_price`): the vendor's pricing page, cited and dated, in USD
-- per million tokens. They settle a disagreement between the price catalogs.
with source as (select * from raw.facts__model_list_prices),
final as (
    select model_id, input_usd_per_mtok, output_usd_per_mtok, source as source_id, as_of as source_as_of
    from source
)
select * from final
