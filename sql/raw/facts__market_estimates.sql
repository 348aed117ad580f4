create table if not exists raw.facts__market_estimates (
    estimate_id varchar, vendor_id varchar, market varchar, year integer, low_usd double, high_usd double,
    estimator varchar, note varchar, source varchar, as_of date, date_precision varchar
);
