-- Funding rounds in announcement order, with the valuation step-up from the previous priced round
-- (marts.valuation_steps) and the curated source of the exchange rate a converted amount used
-- (fx_source_id: the rate of the round's currency on fx_rate_on; NULL when no rate was used).
with final as (
    select
        r.round_id, r.vendor_id, r.round_name, r.announced_on, r.announced_on_precision,
        r.amount, r.currency, r.amount_usd, r.amount_usd_basis,
        r.stated_amount_usd_source_id, r.stated_amount_usd_source_as_of,
        r.fx_usd_per_unit, r.fx_rate_on,
        (select min(fx.source_id) from staging.stg_facts__fx_rates fx
         where fx.currency = r.currency and fx.rate_on = r.fx_rate_on) as fx_source_id,
        r.post_money_valuation, r.valuation_currency, r.post_money_valuation_usd,
        s.step_up_multiple, r.lead_investors, r.source_id, r.source_as_of
    from marts.funding_rounds r
    left join marts.valuation_steps s using (round_id)
)
select * from final
order by vendor_id, announced_on, round_id
