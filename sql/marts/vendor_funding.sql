-- One row per vendor: funding totals (USD, secondary sales excluded; equity, debt and conditional
-- money apart; lower bounds marked), latest valuation, days
-- to unicorn, revenue multiples and the reported total reconciled with the rounds known on its date.
-- Computed in Polars by the metrics stage (flows/metrics/stage.py). This file declares the
-- table's columns and types: the stage creates it empty from here, then inserts its frame by name.
with final as (
    select
        cast(null as varchar) as vendor_id,
        cast(null as date) as founded_on,
        cast(null as bigint) as headcount,
        cast(null as boolean) as funding_rounds_complete,
        cast(null as double) as reported_total_usd,
        cast(null as varchar) as reported_total_covers,
        cast(null as date) as reported_total_on,
        cast(null as varchar) as reported_total_source_id,
        cast(null as double) as total_raised_usd,
        cast(null as double) as equity_raised_usd,
        cast(null as double) as debt_raised_usd,
        cast(null as double) as conditional_raised_usd,
        cast(null as uinteger) as round_count,
        cast(null as uinteger) as undisclosed_round_count,
        cast(null as boolean) as total_is_lower_bound,
        cast(null as double) as converted_part_usd,
        cast(null as double) as rounds_total_at_report_usd,
        cast(null as boolean) as rounds_total_at_report_is_lower_bound,
        cast(null as double) as latest_post_money_usd,
        cast(null as date) as latest_valuation_on,
        cast(null as varchar) as latest_valuation_round_id,
        cast(null as boolean) as latest_valuation_is_lower_bound,
        cast(null as date) as unicorn_on,
        cast(null as varchar) as unicorn_on_precision,
        cast(null as varchar) as unicorn_round_id,
        cast(null as double) as revenue_low_usd,
        cast(null as double) as revenue_high_usd,
        cast(null as date) as revenue_on,
        cast(null as varchar) as revenue_source_id,
        cast(null as double) as revenue_multiple_low,
        cast(null as double) as revenue_multiple_high,
        cast(null as double) as difference_usd,
        cast(null as double) as relative_difference,
        cast(null as bigint) as days_to_unicorn,
        cast(null as double) as raised_per_employee_usd,
        cast(null as date) as as_of
    where false
)
select * from final
