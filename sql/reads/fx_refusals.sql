-- Rounds of marts.funding_rounds whose conversion to USD has no rate, or only one more than
-- $max_age_days days older than the announcement: the amount (field currency; unless a source
-- states the USD figure) or the post-money valuation (field valuation_currency). The transform
-- refuses them (flows/warehouse/load.py check_conversions), naming the vendor file and the round.
with refused as (
    select vendor_id, round_id, 'currency' as field, currency, announced_on, fx_rate_on as rate_on,
           fx_rate_age_days as age_days
    from marts.funding_rounds
    where amount is not null and stated_amount_usd is null and currency <> 'USD'
      and (fx_usd_per_unit is null or fx_rate_age_days > $max_age_days)
    union all
    select vendor_id, round_id, 'valuation_currency' as field, valuation_currency as currency, announced_on,
           valuation_fx_rate_on as rate_on, valuation_fx_rate_age_days as age_days
    from marts.funding_rounds
    where post_money_valuation is not null and valuation_currency <> 'USD'
      and (valuation_fx_usd_per_unit is null or valuation_fx_rate_age_days > $max_age_days)
)
select v.source_file, r.round_id, r.field, r.currency, r.announced_on, r.rate_on, r.age_days
from refused r
join staging.stg_facts__vendors v using (vendor_id)
order by v.source_file, r.announced_on, r.round_id, r.field
