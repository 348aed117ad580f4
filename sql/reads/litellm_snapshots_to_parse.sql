-- Loaded LiteLLM snapshots parsed by another loader version than $parser_version, with their
-- stored bytes (NULL when a warehouse from before the bytes were kept holds them).
select snapshots.snapshot_id as snapshot, snapshots.as_of, snapshots.sha256, snapshots.source_uri,
       snapshots.version, files.content_gzip
from raw.litellm__snapshots as snapshots
left join raw.litellm__files as files using (snapshot_id)
where snapshots.parser_version is distinct from $parser_version
order by snapshots.as_of
