create table if not exists raw.facts__funding_rounds (
    round_id varchar, vendor_id varchar, round varchar, announced_on date, date_precision varchar,
    amount double, currency varchar, amount_usd double, amount_usd_source varchar, amount_usd_as_of date,
    post_money_valuation double,
    valuation_currency varchar, is_down_round boolean, lead_investors varchar[], investors varchar[],
    equity_amount double, debt_amount double, conditional_amount double, parts_source varchar, parts_as_of date,
    amount_lower_bound boolean, valuation_lower_bound boolean, source varchar, as_of date
);
