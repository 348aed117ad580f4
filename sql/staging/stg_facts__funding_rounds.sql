with source as (select * from raw.facts__funding_rounds),
final as (
    select
        round_id, vendor_id, round as round_name, announced_on, date_precision as announced_on_precision,
        amount, currency, amount_usd as stated_amount_usd,
        amount_usd_source as stated_amount_usd_source_id, amount_usd_as_of as stated_amount_usd_source_as_of,
        post_money_valuation, valuation_currency, is_down_round,
        -- the source gives a minimum ("more than"): the amount or the valuation is a lower bound
        coalesce(amount_lower_bound, false) as amount_is_lower_bound,
        coalesce(valuation_lower_bound, false) as valuation_is_lower_bound,
        lead_investors, investors,
        -- how the money was raised, in `currency` (parts of amount; see data/README.md)
        equity_amount, debt_amount, conditional_amount,
        parts_source as parts_source_id, parts_as_of as parts_source_as_of,
        source as source_id, as_of as source_as_of
    from source
)
select * from final
