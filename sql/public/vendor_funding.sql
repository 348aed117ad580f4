select
    as_of, vendor_id, funding_rounds_complete, total_raised_usd, total_is_lower_bound, reported_total_usd,
    reported_total_covers, reported_total_on, rounds_total_at_report_usd, difference_usd, relative_difference,
    equity_raised_usd, debt_raised_usd, conditional_raised_usd, round_count, undisclosed_round_count,
    latest_post_money_usd, latest_valuation_on,
    unicorn_on, days_to_unicorn, headcount, raised_per_employee_usd,
    revenue_low_usd, revenue_high_usd, revenue_multiple_low, revenue_multiple_high
from marts.vendor_funding
