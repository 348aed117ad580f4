-- Each curated model's price on $day (sql/macros/model_prices_on.sql).
select * from marts.model_prices_on($day)
