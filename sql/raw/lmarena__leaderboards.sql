-- LMArena text leaderboards as loaded: one row per distinct content (sha256), dated by as_of.
create table if not exists raw.lmarena__leaderboards (
    leaderboard_id varchar, as_of date, sha256 varchar, source_uri varchar, origin varchar, commit varchar,
    category_count bigint, score_count bigint, quarantined_count bigint
);
