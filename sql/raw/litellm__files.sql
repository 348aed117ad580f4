-- The bytes of every loaded LiteLLM snapshot (gzipped), kept across runs so that a newer loader
-- can parse a snapshot again.
create table if not exists raw.litellm__files (
    snapshot_id varchar, sha256 varchar, content_gzip blob
);
