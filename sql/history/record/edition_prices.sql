-- This edition's catalog prices (marts.prices_current): the baseline of the next edition's price
-- changes. Run by the metrics stage with $run_id and $as_of.
insert into history.edition_prices
select
    $run_id, $as_of, source, provider_id, model_id, vendor_id, input_usd_per_mtok, output_usd_per_mtok,
    cache_read_usd_per_mtok, cache_write_usd_per_mtok
from marts.prices_current
