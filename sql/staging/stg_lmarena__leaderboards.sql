with source as (select * from raw.lmarena__leaderboards),
final as (
    select
        leaderboard_id, as_of as leaderboard_on, sha256, source_uri, origin, commit as origin_commit,
        category_count, score_count, quarantined_count
    from source
)
select * from final
