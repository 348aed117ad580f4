-- Implied revenue multiples (marts.revenue_multiples: the post-money valuation known on a
-- revenue estimate's date over the estimate's low and high ends), in the order of the estimates.
select
    vendor_id, basis, revenue_low_usd, revenue_high_usd, post_money_valuation_usd,
    multiple_low, multiple_high, source_id, source_as_of
from marts.revenue_multiples
order by vendor_id, source_as_of, basis, revenue_low_usd, source_id
