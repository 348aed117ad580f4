-- The curated vendor ids: the value set of expectations naming {"$PARAMETER": "vendor_ids"}.
select vendor_id from staging.stg_facts__vendors
