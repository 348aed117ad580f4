-- Loaded LMArena leaderboards with the same content ($sha256) or the same date ($as_of): a board
-- with the same content comes first (flows/sources/lmarena.py add_leaderboard).
select as_of, source_uri, sha256 = $sha256 as is_same
from raw.lmarena__leaderboards
where sha256 = $sha256 or as_of = $as_of
order by is_same desc, as_of
