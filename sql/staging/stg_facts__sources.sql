-- Curated sources with their tier: as curated, else official for an official statement or a
-- filing, else unrated. tier_rank orders them for headline figures (1 = best; unrated last).
with source as (select * from raw.facts__sources),
tiered as (
    select *, coalesce(tier, case when kind in ('official', 'filing') then 'official' else 'unrated' end) as source_tier
    from source
),
final as (
    select source_id, title, publisher, url, published_on, kind,
           source_tier as tier,
           case source_tier when 'official' then 1 when 'press' then 2 when 'aggregator' then 3 else 4 end as tier_rank,
           note
    from tiered
)
select * from final
