-- Suite funding_rounds: the public view with the previous valued round's valuation, the days from
-- the as-of date, whether a fall in valuation is marked as a down round, and the gap between a
-- stated USD amount and the converted one.
with rounds as (
    select
        *,
        lag(post_money_valuation_usd ignore nulls) over (
            partition by vendor_id order by announced_on, round_id
        ) as previous_valuation_usd
    from main.funding_rounds
)
select
    *,
    datediff('day', (select as_of from raw.run_context), announced_on) as days_after_as_of,
    (previous_valuation_usd is null or post_money_valuation_usd is null
     or post_money_valuation_usd >= previous_valuation_usd or is_down_round) as valuation_step_ok,
    abs(stated_amount_usd - converted_amount_usd) / nullif(converted_amount_usd, 0) as stated_vs_converted_gap
from rounds
