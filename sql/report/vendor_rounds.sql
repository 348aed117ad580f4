-- Funding rounds in announcement order, with the valuation step-up from the previous priced round
-- (marts.valuation_steps), the source of the exchange rate a converted amount or a valuation used
-- (fx_source_id, valuation_fx_source_id: a curated rate's source or the ECB's reference rates;
-- NULL when no rate was used), how the money was raised (equity, debt and conditional parts, in
-- USD); amount_is_lower_bound, valuation_is_lower_bound: the source gives a minimum ("more than").
with final as (
    select
        r.round_id, r.vendor_id, r.round_name, r.announced_on, r.announced_on_precision,
        r.amount, r.currency, r.amount_usd, r.amount_usd_basis,
        r.stated_amount_usd, r.stated_amount_usd_source_id, r.stated_amount_usd_source_as_of,
        r.fx_usd_per_unit, r.fx_rate_on, r.fx_source_id,
        r.equity_usd, r.debt_usd, r.conditional_usd, r.parts_source_id, r.parts_source_as_of,
        r.post_money_valuation, r.valuation_currency, r.post_money_valuation_usd,
        r.valuation_fx_usd_per_unit, r.valuation_fx_rate_on, r.valuation_fx_source_id,
        r.amount_is_lower_bound, r.valuation_is_lower_bound,
        s.step_up_multiple, r.lead_investors, r.source_id, r.source_as_of
    from marts.funding_rounds r
    left join marts.valuation_steps s using (round_id)
)
select * from final
order by vendor_id, announced_on, round_id
