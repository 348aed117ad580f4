-- Each vendor's flagship (marts.vendor_flagships) against the reference models of other vendors,
-- on every workload profile (marts.price_comparisons: ratios are flagship / reference, prices
-- in USD per million tokens, monthly costs in USD). Empty for a vendor whose flagship is unpriced.
-- The briefing orders the rows by the profiles' and reference models' order in data/config.
with final as (
    select
        f.vendor_id, c.profile, c.reference_model_id, r.model_name as reference_name,
        r.price_basis as reference_price_basis,
        c.input_ratio, c.output_ratio, c.blended_usd_per_mtok, c.reference_blended_usd_per_mtok,
        c.blended_ratio, c.monthly_cost_usd, c.reference_monthly_cost_usd, c.switch_saving
    from marts.vendor_flagships f
    join marts.price_comparisons c on c.model_id = f.flagship_model_id
    join marts.models r on r.model_id = c.reference_model_id
    where r.vendor_id <> f.vendor_id
)
select * from final
order by vendor_id, profile, reference_model_id
