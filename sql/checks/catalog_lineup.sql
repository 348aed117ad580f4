-- Suite catalog_lineup: the lineup's own rules, and the current models that lack curated facts.
select *,
    status <> 'retired' or (input_usd_per_mtok is null and output_usd_per_mtok is null) as retired_without_price,
    not is_free_tier or price_basis is distinct from 'list' as free_tier_without_price,
    coalesce(input_usd_per_mtok, 1) > 0 or coalesce(output_usd_per_mtok, 1) > 0 as price_not_zero,
    is_curated or status <> 'current' as current_has_curated_facts
from main.catalog_lineup
