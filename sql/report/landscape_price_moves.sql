-- The twelve largest list-price moves over 365 days among the models vendors sell on their own
-- platform (marts.catalog_price_changes), largest absolute change of input or output price first
-- (ties by model, vendor and platform: one id on two platforms of a vendor is two moves).
with moves as (
    select
        coalesce(m.model_name, m.model_id) as model_name, m.model_id, m.vendor_id, v.vendor_name,
        m.input_usd_per_mtok, m.output_usd_per_mtok, m.input_change_365d, m.output_change_365d,
        m.source, m.provider_id
    from marts.catalog_price_changes m
    join marts.vendors v using (vendor_id)
    where coalesce(m.input_change_365d, 0) <> 0 or coalesce(m.output_change_365d, 0) <> 0
)
select
    model_name, model_id, vendor_id, vendor_name, input_usd_per_mtok, output_usd_per_mtok,
    input_change_365d, output_change_365d
from moves
order by greatest(abs(coalesce(input_change_365d, 0)), abs(coalesce(output_change_365d, 0))) desc, model_id,
    vendor_id, source, provider_id
limit 12
