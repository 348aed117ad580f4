create table if not exists raw.facts__reported_valuations (
    vendor_id varchar, round varchar, post_money_valuation double, valuation_currency varchar, source varchar,
    as_of date, date_precision varchar
);
