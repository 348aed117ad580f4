create table if not exists raw.facts__vendor_map_rules (
    rule_order integer, catalog varchar, provider_glob varchar, model_glob varchar, vendor_id varchar, note varchar
);
