create table if not exists raw.facts__plans (
    plan_id varchar, vendor_id varchar, name varchar, kind varchar, price_per_month double,
    currency varchar, source varchar, as_of date, date_precision varchar
);
