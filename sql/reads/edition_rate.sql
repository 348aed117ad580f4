-- The rate an edition in another currency converts its USD figures at: the latest rate of
-- $currency on or before the edition date $as_of (marts.fx_rates: the ECB's reference rates, a
-- curated rate of the same day overriding), with its day and source.
select rate_on, currency, usd_per_unit, source_id
from marts.fx_rates
where currency = $currency and rate_on <= $as_of
order by rate_on desc
limit 1
