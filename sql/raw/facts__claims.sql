create table if not exists raw.facts__claims (
    claim_id varchar, vendor_id varchar, text varchar, metric varchar, price_component varchar,
    comparison varchar, subject varchar, reference varchar, stated_value double, tolerance double, source varchar, as_of date, date_precision varchar
);
