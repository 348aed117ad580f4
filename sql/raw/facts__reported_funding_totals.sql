create table if not exists raw.facts__reported_funding_totals (
    vendor_id varchar, amount_usd double, covers varchar, lower_bound boolean, source varchar, as_of date, date_precision varchar
);
