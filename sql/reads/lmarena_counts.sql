-- The loaded LMArena leaderboards and their quarantined entries (what the ingest step reports).
select
    (select count(*) from raw.lmarena__leaderboards) as leaderboards,
    (select count(*) from raw.lmarena__quarantine) as quarantined
