-- LiteLLM snapshots in date order with their entries by outcome (what `vendorbrief ingest litellm`
-- prints): priced (a token price, per token or tiered_pricing), quarantined (with a reason, in
-- dq_quarantine), no token price (other units or none), aliases.
select snapshot_id as snapshot, as_of, priced_count as priced, quarantined_count as quarantined,
       no_token_price_count as no_token_price, alias_count as aliases
from raw.litellm__snapshots
order by as_of, snapshot_id
