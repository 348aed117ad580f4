select
    round_id, vendor_id, round_name, announced_on, amount, currency, amount_usd, amount_usd_basis,
    stated_amount_usd, stated_amount_usd_source_id, converted_amount_usd, fx_usd_per_unit, fx_rate_on, fx_source_id,
    equity_amount, debt_amount, conditional_amount, equity_usd, debt_usd, conditional_usd,
    post_money_valuation, valuation_currency, post_money_valuation_usd,
    is_down_round, lead_investors, source_id, source_as_of
from marts.funding_rounds
