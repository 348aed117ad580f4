create table if not exists raw.facts__platforms (
    platform_order integer, catalog varchar, provider_id varchar, vendor_id varchar, note varchar
);
