-- Curated market-size estimates, USD for one year (vendors/*.yaml, section market_estimates).
with source as (select * from raw.facts__market_estimates),
final as (
    select estimate_id, vendor_id, market, year as market_year, low_usd as market_low_usd,
           high_usd as market_high_usd, estimator, note, source as source_id, as_of as source_as_of
    from source
)
select * from final
