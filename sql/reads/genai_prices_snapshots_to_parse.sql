-- Loaded genai-prices snapshots parsed by another loader version than $parser_version, with
-- their stored bytes (NULL for the installed package's data, read from the package).
select snapshots.snapshot, snapshots.as_of, snapshots.sha256, snapshots.source_uri, snapshots.version,
       files.content_gzip
from raw.genai_prices__snapshots as snapshots
left join raw.genai_prices__files as files using (snapshot)
where snapshots.parser_version is distinct from $parser_version
order by snapshots.as_of
