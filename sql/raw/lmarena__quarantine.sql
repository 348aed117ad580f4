-- Leaderboard entries refused when the board was read (missing, non-finite or inconsistent numbers).
create table if not exists raw.lmarena__quarantine (
    leaderboard_id varchar, category varchar, arena_model varchar, field varchar, reason varchar
);
