-- Market-size estimates known on the run's as-of date (USD for one year), by market then year.
select m.estimate_id, m.vendor_id, m.market, m.market_year, m.market_low_usd, m.market_high_usd, m.estimator,
       m.note, m.source_id, m.source_as_of
from staging.stg_facts__market_estimates m
where m.source_as_of <= (select as_of from raw.run_context)
order by m.vendor_id, m.market, m.market_year, m.estimate_id
