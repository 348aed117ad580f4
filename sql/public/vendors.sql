select
    vendor_id, vendor_name, hq_country, jurisdiction, is_eu, founded_on, founders, open_weights_stance,
    positioning, funding_rounds_complete, headcount, headcount_on, reported_total_usd, reported_total_on,
    revenue_low_usd, revenue_high_usd, revenue_on, source_id, source_as_of
from marts.vendors
