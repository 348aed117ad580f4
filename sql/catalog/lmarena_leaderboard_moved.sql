-- The same LMArena leaderboard ($sha256) observed at an earlier date: it is recorded at that date
-- ($as_of) under this load's address (the earliest observation wins; origin and commit kept when
-- this load does not name them).
update raw.lmarena__leaderboards
set
    as_of = $as_of,
    source_uri = $source_uri,
    origin = coalesce($origin, origin),
    commit = coalesce($commit, commit)
where sha256 = $sha256
