create table if not exists raw.ecb__rates (
    rate_on date, currency varchar, units_per_eur double
);
