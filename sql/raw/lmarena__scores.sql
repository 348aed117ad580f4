-- One Arena Score per leaderboard x category x arena model, with its 95 % bounds.
create table if not exists raw.lmarena__scores (
    leaderboard_id varchar, category varchar, arena_model varchar,
    rating double, rating_q025 double, rating_q975 double
);
