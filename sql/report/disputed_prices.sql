-- Every price column the two catalogs dispute on a vendor's own platform (marts.lineup_prices:
-- beyond quality.reconciliation_tolerance, not settled by a curated list price), with both
-- values (USD per million tokens) and the relative difference |litellm - genai| / genai: the
-- footnotes of the briefings' price tables. column is input, output or cache_read.
with disputed as (
    select m.vendor_id, m.model_id, m.model_name, m.status, m.price_source, m.genai_model_id, m.litellm_model_id,
           p.input_disputed, p.output_disputed, p.cache_read_disputed,
           m.genai_input_usd_per_mtok, m.litellm_input_usd_per_mtok, m.input_relative_difference,
           m.genai_output_usd_per_mtok, m.litellm_output_usd_per_mtok, m.output_relative_difference,
           m.genai_cache_read_usd_per_mtok, m.litellm_cache_read_usd_per_mtok, m.cache_read_relative_difference
    from marts.catalog_lineup m
    join marts.lineup_prices p using (vendor_id, model_id)
),
final as (
    select vendor_id, model_id, model_name, status, price_source, genai_model_id, litellm_model_id, 'input' as price_column,
           genai_input_usd_per_mtok as genai_usd_per_mtok, litellm_input_usd_per_mtok as litellm_usd_per_mtok,
           input_relative_difference as relative_difference
    from disputed where input_disputed
    union all
    select vendor_id, model_id, model_name, status, price_source, genai_model_id, litellm_model_id, 'output',
           genai_output_usd_per_mtok, litellm_output_usd_per_mtok, output_relative_difference
    from disputed where output_disputed
    union all
    select vendor_id, model_id, model_name, status, price_source, genai_model_id, litellm_model_id, 'cache_read',
           genai_cache_read_usd_per_mtok, litellm_cache_read_usd_per_mtok, cache_read_relative_difference
    from disputed where cache_read_disputed
)
select * from final
order by vendor_id, model_id, case price_column when 'input' then 1 when 'output' then 2 else 3 end
