create table if not exists raw.facts__products (
    product_id varchar, vendor_id varchar, name varchar, kind varchar, description varchar, launched_on date,
    source varchar, as_of date, date_precision varchar
);
