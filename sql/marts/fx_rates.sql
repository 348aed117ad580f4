-- Every exchange rate a conversion may use: the ECB's daily reference rates (staging.stg_ecb__rates)
-- and the curated rates of fx_rates.csv (staging.stg_facts__fx_rates), which override the ECB's
-- rate of the same day and currency. One row per (rate_on, currency); USD per unit of currency;
-- source_id the curated rate's source, or ecb-euro-reference-rates; is_curated marks overrides.
with ecb as (select rate_on, currency, usd_per_unit, source_id, false as is_curated from staging.stg_ecb__rates),
curated as (select rate_on, currency, usd_per_unit, source_id, true as is_curated from staging.stg_facts__fx_rates),
final as (
    select * from (select * from curated union all select * from ecb)
    qualify row_number() over (partition by rate_on, currency order by is_curated desc, source_id) = 1
    order by currency, rate_on
)
select * from final
