-- Every current lineup model's (curated or catalog-only) capability and price position on the as-of date
-- (marts.capability_ranks, computed by the metrics stage) with its vendor's name: the capability
-- sections, charts and summaries of the briefings and the landscape. Per vendor, rated models
-- first, highest score first.
select
    c.model_id, c.vendor_id, v.vendor_name, c.model_name, c.model_class, c.released_on, c.is_flagship, c.is_headline,
    c.leaderboard_on, c.leaderboard_origin, c.arena_model, c.score, c.score_low, c.score_high, c.rating_status,
    c.profile, c.blended_usd_per_mtok, c.rank_best, c.rank_worst, c.rank_field, c.level_with, c.above,
    c.on_vendor_frontier, c.on_market_frontier, c.on_headline_frontier
from marts.capability_ranks c
join marts.vendors v using (vendor_id)
order by c.vendor_id, c.score desc nulls last, c.model_id
