select source_id, title, publisher, url, published_on, kind, tier from staging.stg_facts__sources
