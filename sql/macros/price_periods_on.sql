-- The catalog price periods in force on a day: valid_from <= day < valid_to, a NULL bound being
-- open. The one definition of "the price on a date": marts.prices_current is this on the run's
-- as-of date, marts.model_prices_on builds on it, the metrics stage reads it on other days.
create or replace macro marts.price_periods_on(day) as table
select price_history.*
from marts.price_history as price_history
where (price_history.valid_from is null or price_history.valid_from <= day)
  and (price_history.valid_to is null or price_history.valid_to > day)
