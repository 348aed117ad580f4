-- Funding rounds announced by the run's as-of date. amount_usd is the USD figure a source
-- states when there is one known by the as-of date, else the amount converted at the latest
-- cited rate on or before the announcement (fx_rates.csv).
with run as (select as_of from raw.run_context),
staged as (select * from staging.stg_facts__funding_rounds),
rounds as (
    select staged.* replace (
        case when stated_amount_usd_source_as_of is null or stated_amount_usd_source_as_of <= run.as_of
             then stated_amount_usd end as stated_amount_usd,
        case when stated_amount_usd_source_as_of <= run.as_of then stated_amount_usd_source_id end
            as stated_amount_usd_source_id,
        case when stated_amount_usd_source_as_of <= run.as_of then stated_amount_usd_source_as_of end
            as stated_amount_usd_source_as_of)
    from staged cross join run
),
fx as (select * from staging.stg_facts__fx_rates),
with_fx as (
    select
        rounds.*,
        case when rounds.currency = 'USD' then 1.0 else (
            select arg_max(fx.usd_per_unit, fx.rate_on) from fx
            where fx.currency = rounds.currency and fx.rate_on <= rounds.announced_on
        ) end as fx_usd_per_unit,
        case when rounds.currency = 'USD' then null else (
            select max(fx.rate_on) from fx
            where fx.currency = rounds.currency and fx.rate_on <= rounds.announced_on
        ) end as fx_rate_on,
        case when rounds.valuation_currency = 'USD' then 1.0 else (
            select arg_max(fx.usd_per_unit, fx.rate_on) from fx
            where fx.currency = rounds.valuation_currency and fx.rate_on <= rounds.announced_on
        ) end as valuation_fx_usd_per_unit
    from rounds
),
final as (
    select
        round_id, vendor_id, round_name, announced_on, announced_on_precision,
        amount, currency, stated_amount_usd, stated_amount_usd_source_id, stated_amount_usd_source_as_of,
        amount * fx_usd_per_unit as converted_amount_usd,
        coalesce(stated_amount_usd, amount * fx_usd_per_unit) as amount_usd,
        case when stated_amount_usd is not null then 'stated'
             when fx_usd_per_unit is not null then 'converted' end as amount_usd_basis,
        fx_usd_per_unit, fx_rate_on,
        post_money_valuation, valuation_currency,
        post_money_valuation * valuation_fx_usd_per_unit as post_money_valuation_usd,
        is_down_round, lead_investors, investors, source_id, source_as_of
    from with_fx
    cross join run
    where announced_on <= run.as_of
    order by vendor_id, announced_on, round_id
)
select * from final
