-- One row per loaded genai-prices snapshot (kept across runs): the installed package's data
-- (snapshot genai-prices==<version>, as_of the day its wheel was uploaded to PyPI) and data files
-- loaded with `vendorbrief ingest genai-prices` (as_of: the earliest date the content was observed).
-- Models by outcome: priced_count (a token price), quarantined_count, no_token_price_count.
create table if not exists raw.genai_prices__snapshots (
    snapshot varchar, as_of date, sha256 varchar, source_uri varchar, version varchar,
    provider_count bigint, model_count bigint, priced_count bigint, quarantined_count bigint,
    no_token_price_count bigint, parser_version integer
);
