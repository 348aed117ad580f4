-- The same LiteLLM content observed at an earlier date: the snapshot ($snapshot_id) is recorded
-- at that date ($as_of), so its periods start then (the earliest observation wins).
update raw.litellm__snapshots set as_of = $as_of where snapshot_id = $snapshot_id
