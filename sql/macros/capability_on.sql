-- Each lineup model's overall Arena Score on a day: the latest LMArena text leaderboard on or
-- before the day and the arena entry picked for the model in it. The one definition of "the
-- capability score on a date": marts.capability_current is this on the run's as-of date, the claim
-- audit reads it on each claim's date (sql/reads/capability_on.sql).
-- One row per mapped model on that leaderboard (model_id: the curated model, else the catalog-only
-- lineup model of marts.capability_model_map; vendor_id: its vendor), plus one row with model_id
-- NULL that carries the leaderboard's date when no model maps (no row at all when no leaderboard is that
-- old). When several arena entries map to a model, the default variant comes first (not -high /
-- -thinking), then the entry named like the catalog reference that prices the model, then the
-- highest score; for a catalog-only model, an entry named like the model (lineup_key_match) first.
-- category_size: entries of the overall category on that leaderboard.
create or replace macro marts.capability_on(day) as table
with board as (
    select boards.leaderboard_on, boards.origin
    from staging.stg_lmarena__leaderboards as boards
    where boards.leaderboard_on <= day
    order by boards.leaderboard_on desc
    limit 1
),
overall as (
    select
        scores.* exclude (model_id), coalesce(names.model_id, names.lineup_model_id) as model_id,
        names.variant, names.catalog_ref_order, names.lineup_key_match, count(*) over () as category_size
    from marts.capability_scores as scores
    join board on board.leaderboard_on = scores.leaderboard_on
    join marts.capability_model_map as names on names.arena_model = scores.arena_model
    where scores.category = 'full'
),
picked as (
    select
        overall.*,
        row_number() over (
            partition by vendor_id, model_id
            order by lineup_key_match desc nulls last, variant is not null, catalog_ref_order nulls last, score desc,
                arena_model
        ) as pick
    from overall
    where model_id is not null
)
select
    board.leaderboard_on, board.origin as leaderboard_origin,
    (select max(category_size) from overall) as category_size,
    picked.model_id, picked.vendor_id, picked.arena_model, picked.variant,
    picked.score, picked.score_low, picked.score_high, picked.rank_in_category
from board
left join picked on picked.pick = 1
