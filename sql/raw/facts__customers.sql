create table if not exists raw.facts__customers (
    customer_id varchar, vendor_id varchar, name varchar, kind varchar, description varchar,
    source varchar, as_of date, date_precision varchar
);
