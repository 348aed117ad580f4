-- Funding rounds announced by the run's as-of date, in USD.
-- amount_usd is the USD figure a source states when there is one known by the as-of date, else
-- the amount converted at the rate of the announcement day, or of the nearest earlier day with a
-- rate (marts.fx_rates: the ECB's reference rates, a curated rate of the same day overriding);
-- NULL with amount_usd_basis 'undisclosed' when no source discloses the amount. A rate more than
-- 7 days older than the announcement is refused by the transform (sql/reads/fx_refusals.sql).
-- The money is split into equity, debt and conditional parts (data/README.md): the parts a source
-- gives (known by the as-of date), the round's main kind (debt for a debt round, else equity)
-- taking the rest of the amount; each part in USD is its share of amount_usd.
with run as (select as_of from raw.run_context),
staged as (select * from staging.stg_facts__funding_rounds),
rounds as (
    select staged.* replace (
        case when stated_amount_usd_source_as_of is null or stated_amount_usd_source_as_of <= run.as_of
             then stated_amount_usd end as stated_amount_usd,
        case when stated_amount_usd_source_as_of <= run.as_of then stated_amount_usd_source_id end
            as stated_amount_usd_source_id,
        case when stated_amount_usd_source_as_of <= run.as_of then stated_amount_usd_source_as_of end
            as stated_amount_usd_source_as_of,
        case when parts_source_as_of is null or parts_source_as_of <= run.as_of then equity_amount end as equity_amount,
        case when parts_source_as_of is null or parts_source_as_of <= run.as_of then debt_amount end as debt_amount,
        case when parts_source_as_of is null or parts_source_as_of <= run.as_of then conditional_amount end
            as conditional_amount,
        case when parts_source_as_of <= run.as_of then parts_source_id end as parts_source_id,
        case when parts_source_as_of <= run.as_of then parts_source_as_of end as parts_source_as_of)
    from staged cross join run
    where staged.announced_on <= run.as_of
),
fx as (select currency, rate_on, usd_per_unit, source_id from marts.fx_rates),
-- The rate of the announcement day or of the nearest earlier day with one (ASOF join).
amount_fx as (
    select rounds.round_id, fx.usd_per_unit, fx.rate_on, fx.source_id
    from rounds asof left join fx on fx.currency = rounds.currency and fx.rate_on <= rounds.announced_on
    where rounds.currency <> 'USD'
),
valuation_fx as (
    select rounds.round_id, fx.usd_per_unit, fx.rate_on, fx.source_id
    from rounds asof left join fx on fx.currency = rounds.valuation_currency and fx.rate_on <= rounds.announced_on
    where rounds.valuation_currency <> 'USD'
),
with_fx as (
    select
        rounds.*,
        case when rounds.currency = 'USD' then 1.0 else a.usd_per_unit end as fx_usd_per_unit,
        a.rate_on as fx_rate_on,
        a.source_id as fx_source_id,
        datediff('day', a.rate_on, rounds.announced_on) as fx_rate_age_days,
        case when rounds.valuation_currency = 'USD' then 1.0 else v.usd_per_unit end as valuation_fx_usd_per_unit,
        v.rate_on as valuation_fx_rate_on,
        v.source_id as valuation_fx_source_id,
        datediff('day', v.rate_on, rounds.announced_on) as valuation_fx_rate_age_days,
        coalesce(rounds.equity_amount, 0) + coalesce(rounds.debt_amount, 0) + coalesce(rounds.conditional_amount, 0)
            as given_parts,
        rounds.round_name = 'debt' as main_is_debt
    from rounds
    left join amount_fx a using (round_id)
    left join valuation_fx v using (round_id)
),
amounts as (
    select
        *,
        coalesce(stated_amount_usd, amount * fx_usd_per_unit) as usd_total,
        coalesce(equity_amount, case when main_is_debt then 0 else amount - given_parts end) as equity_part,
        coalesce(debt_amount, case when main_is_debt then amount - given_parts else 0 end) as debt_part,
        coalesce(conditional_amount, 0) as conditional_part
    from with_fx
),
final as (
    select
        round_id, vendor_id, round_name, announced_on, announced_on_precision,
        amount, currency, stated_amount_usd, stated_amount_usd_source_id, stated_amount_usd_source_as_of,
        amount * fx_usd_per_unit as converted_amount_usd,
        usd_total as amount_usd,
        case when stated_amount_usd is not null then 'stated'
             when amount is null then 'undisclosed'
             when fx_usd_per_unit is not null then 'converted' end as amount_usd_basis,
        fx_usd_per_unit, fx_rate_on, fx_source_id, fx_rate_age_days,
        -- the parts in the round's currency, and in USD (their share of amount_usd; a round whose
        -- amount only a USD figure discloses is all of its main kind)
        case when amount is not null then equity_part end as equity_amount,
        case when amount is not null then debt_part end as debt_amount,
        case when amount is not null then conditional_part end as conditional_amount,
        case when amount > 0 then usd_total * equity_part / amount when amount = 0 then 0.0
             when not main_is_debt then usd_total else 0.0 end as equity_usd,
        case when amount > 0 then usd_total * debt_part / amount when amount = 0 then 0.0
             when main_is_debt then usd_total else 0.0 end as debt_usd,
        case when amount > 0 then usd_total * conditional_part / amount else 0.0 end as conditional_usd,
        parts_source_id, parts_source_as_of,
        post_money_valuation, valuation_currency,
        post_money_valuation * valuation_fx_usd_per_unit as post_money_valuation_usd,
        valuation_fx_usd_per_unit, valuation_fx_rate_on, valuation_fx_source_id, valuation_fx_rate_age_days,
        is_down_round, amount_is_lower_bound, valuation_is_lower_bound, lead_investors, investors, source_id,
        source_as_of
    from amounts
    order by vendor_id, announced_on, round_id
)
select * from final
