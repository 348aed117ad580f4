-- One row per loaded LiteLLM snapshot (kept across runs). as_of is the earliest date the content
-- was observed. Entries by outcome: priced_count (a token price, per token or tiered_pricing),
-- quarantined_count, no_token_price_count (other units or none), alias_count; entry_count is every
-- entry loaded (all but the quarantined). parser_version: the loader version that parsed it.
create table if not exists raw.litellm__snapshots (
    snapshot_id varchar, as_of date, sha256 varchar, source_uri varchar, version varchar,
    entry_count bigint, quarantined_count bigint, priced_count bigint, no_token_price_count bigint,
    alias_count bigint, parser_version integer
);
