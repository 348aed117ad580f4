-- Suite vendors: for vendors whose round list is complete, the rounds' total (secondary sales
-- excluded) on the date of the reported total and its relative gap to it; whether the vendor has models.
with rounds as (
    select r.vendor_id, sum(r.amount_usd) filter (where r.round_name <> 'secondary') as rounds_total_usd
    from marts.funding_rounds as r
    join marts.vendors as v on v.vendor_id = r.vendor_id and r.announced_on <= v.reported_total_on
    where v.funding_rounds_complete
    group by r.vendor_id
)
select
    v.*,
    rounds.rounds_total_usd,
    abs(rounds.rounds_total_usd - v.reported_total_usd) / v.reported_total_usd as reported_total_gap,
    exists(select 1 from marts.models as m where m.vendor_id = v.vendor_id) as has_models
from main.vendors as v
left join rounds using (vendor_id)
