create table if not exists raw.facts__headcount (
    vendor_id varchar, employees bigint, lower_bound boolean, source varchar, as_of date, date_precision varchar
);
