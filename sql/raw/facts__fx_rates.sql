create table if not exists raw.facts__fx_rates (
    rate_on date, currency varchar, usd_per_unit double, source varchar
);
