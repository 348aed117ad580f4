-- For the run's as-of date: the latest leaderboard on or before it and each curated model's overall
-- Arena Score in it (NULL when the model is not on it: "not rated (leaderboard of <leaderboard_on>)";
-- leaderboard_on is NULL too when no leaderboard is that old). When several arena entries map to a
-- model, the default variant comes first (not -high / -thinking), then the entry named like the
-- catalog reference that prices the model, then the highest score.
with run as (select as_of from raw.run_context),
board as (
    select boards.leaderboard_on, boards.origin
    from staging.stg_lmarena__leaderboards as boards
    cross join run
    where boards.leaderboard_on <= run.as_of
    order by boards.leaderboard_on desc
    limit 1
),
overall as (
    select scores.*, names.variant, names.catalog_ref_order, count(*) over () as category_size
    from marts.capability_scores as scores
    join board on board.leaderboard_on = scores.leaderboard_on
    join marts.capability_model_map as names on names.arena_model = scores.arena_model
    where scores.category = 'full'
),
picked as (
    select
        overall.*,
        row_number() over (
            partition by model_id
            order by variant is not null, catalog_ref_order nulls last, score desc, arena_model
        ) as pick
    from overall
    where model_id is not null
),
final as (
    select
        run.as_of, models.model_id, models.vendor_id, models.model_name, models.model_class, models.released_on,
        board.leaderboard_on, 'full' as category, picked.arena_model, picked.variant,
        picked.score, picked.score_low, picked.score_high, picked.rank_in_category,
        (select max(category_size) from overall) as category_size,
        board.origin as leaderboard_origin
    from marts.models as models
    cross join run
    left join board on true
    left join picked on picked.model_id = models.model_id and picked.pick = 1
    order by models.vendor_id, models.model_id
)
select * from final
