-- Each lineup model's (curated or catalog-only) overall Arena Score on $day (sql/macros/capability_on.sql).
select * from marts.capability_on($day) where model_id is not null
