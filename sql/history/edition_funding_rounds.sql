create table if not exists history.edition_funding_rounds (
    run_id varchar, as_of date, round_id varchar, vendor_id varchar, round_name varchar,
    announced_on date, amount_usd double, post_money_valuation_usd double
);
