-- Loaded LiteLLM snapshots with the same content ($sha256), or else the same snapshot id
-- ($snapshot_id) or as-of date ($as_of): a snapshot with the same content comes first.
select snapshot_id, as_of, sha256 = $sha256 as is_same
from raw.litellm__snapshots
where sha256 = $sha256 or snapshot_id = $snapshot_id or as_of = $as_of
order by is_same desc, as_of
