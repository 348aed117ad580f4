-- Loaded genai-prices snapshots with the same content ($sha256), or else the same snapshot id
-- ($snapshot_id) or, for fetched data files (no package version), the same as-of date ($as_of):
-- a snapshot with the same content comes first. The installed package may share a date with a
-- fetched file.
select snapshot, as_of, sha256 = $sha256 as is_same
from raw.genai_prices__snapshots
where sha256 = $sha256 or snapshot = $snapshot_id or (as_of = $as_of and version is null)
order by is_same desc, as_of
