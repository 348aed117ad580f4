-- Suite vendors: for vendors whose round list is complete, the rounds' money of the kinds the
-- reported total covers (secondary sales excluded) on the date of the reported total and its
-- relative gap to it (none when a round's amount is undisclosed: the sum is then a lower bound);
-- whether the vendor has models.
with rounds as (
    select r.vendor_id,
           sum(case coalesce(v.reported_total_covers, 'all')
                   when 'equity' then r.equity_usd
                   when 'equity_and_debt' then r.equity_usd + r.debt_usd
                   else r.amount_usd end) filter (where r.round_name <> 'secondary') as rounds_total_usd,
           bool_or(r.amount_usd is null) filter (where r.round_name <> 'secondary') as misses_undisclosed
    from marts.funding_rounds as r
    join marts.vendors as v on v.vendor_id = r.vendor_id and r.announced_on <= v.reported_total_on
    where v.funding_rounds_complete
    group by r.vendor_id
)
select
    v.*,
    rounds.rounds_total_usd,
    case when not coalesce(rounds.misses_undisclosed, false)
         then abs(rounds.rounds_total_usd - v.reported_total_usd) / v.reported_total_usd end as reported_total_gap,
    exists(select 1 from marts.models as m where m.vendor_id = v.vendor_id) as has_models
from main.vendors as v
left join rounds using (vendor_id)
