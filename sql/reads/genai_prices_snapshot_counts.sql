-- genai-prices snapshots in date order with their models by outcome (what `vendorbrief ingest
-- genai-prices` prints): priced (a token price), quarantined, no token price.
select snapshot, as_of, priced_count as priced, quarantined_count as quarantined,
       no_token_price_count as no_token_price
from raw.genai_prices__snapshots
order by as_of, snapshot
