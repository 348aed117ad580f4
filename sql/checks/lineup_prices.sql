-- Suite lineup_prices: ranked models are current, priced and not free; current models' prices are undisputed.
select p.*,
    not p.is_ranked or (l.status = 'current' and not l.is_free_tier
                        and l.input_usd_per_mtok is not null and l.output_usd_per_mtok is not null) as ranked_is_rankable,
    l.status <> 'current' or not (p.input_disputed or p.output_disputed) as undisputed
from marts.lineup_prices as p
join marts.catalog_lineup as l using (vendor_id, model_id)
