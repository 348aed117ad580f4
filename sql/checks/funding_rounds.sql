-- Suite funding_rounds: the public view with the previous valued round's valuation, the days from
-- the as-of date, whether a fall in valuation is marked as a down round, the gap between a
-- stated USD amount and the converted one, whether the USD amount is known (or undisclosed), the
-- age of the rates a conversion used, and the gap between the parts and the USD amount.
with rounds as (
    select
        *,
        lag(post_money_valuation_usd ignore nulls) over (
            partition by vendor_id order by announced_on, round_id
        ) as previous_valuation_usd
    from main.funding_rounds
)
select
    rounds.*,
    datediff('day', (select as_of from raw.run_context), rounds.announced_on) as days_after_as_of,
    (previous_valuation_usd is null or rounds.post_money_valuation_usd is null
     or rounds.post_money_valuation_usd >= previous_valuation_usd or rounds.is_down_round) as valuation_step_ok,
    abs(rounds.stated_amount_usd - rounds.converted_amount_usd) / nullif(rounds.converted_amount_usd, 0)
        as stated_vs_converted_gap,
    (rounds.amount_usd is not null or rounds.amount_usd_basis = 'undisclosed') as amount_usd_known,
    greatest(case when rounds.amount_usd_basis = 'converted' then m.fx_rate_age_days end,
             case when rounds.post_money_valuation is not null then m.valuation_fx_rate_age_days end)
        as conversion_rate_age_days,
    abs(rounds.equity_usd + rounds.debt_usd + rounds.conditional_usd - rounds.amount_usd)
        / nullif(rounds.amount_usd, 0) as parts_gap
from rounds
join marts.funding_rounds m using (round_id)
