create table if not exists raw.facts__vendors (
    vendor_id varchar, name varchar, hq_country varchar, jurisdiction varchar, is_eu boolean,
    founded_on date, date_precision varchar, founders varchar[], open_weights_stance varchar,
    positioning varchar, problem varchar, target_customers varchar[], profile_source varchar, profile_as_of date,
    parent_company varchar, funding_rounds_complete boolean, flagship_families varchar[],
    source varchar, as_of date, file varchar
);
