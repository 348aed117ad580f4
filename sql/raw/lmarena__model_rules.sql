-- Name normalization rules of data/sources/lmarena/model_map.yaml: suffix patterns (RE2, without
-- the leading dash) cut off arena names as a variant (kind 'variant') or dropped (kind 'drop').
create table if not exists raw.lmarena__model_rules (
    rule_order integer, kind varchar, pattern varchar, note varchar
);
