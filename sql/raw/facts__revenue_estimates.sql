create table if not exists raw.facts__revenue_estimates (
    vendor_id varchar, low_usd double, high_usd double, basis varchar, source varchar, as_of date, date_precision varchar
);
