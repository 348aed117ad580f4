create table if not exists raw.litellm__snapshots (
    snapshot_id varchar, as_of date, sha256 varchar, source_uri varchar, version varchar,
    entry_count bigint, quarantined_count bigint
);
