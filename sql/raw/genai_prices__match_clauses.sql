-- genai-prices' match clauses (flows/sources/genai_aliases.py): which catalog ids a genai-prices
-- model answers to, in disjunctive normal form. A model matches an id when every condition of
-- one of its branches holds; kind is equals, starts_with, ends_with, contains (lower-cased
-- patterns, compared with the lower-cased id) or regex; is_portable false: a regex RE2 cannot run.
create table if not exists raw.genai_prices__match_clauses (
    snapshot varchar, provider_id varchar, model_id varchar, model_order integer, branch integer,
    kind varchar, pattern varchar, is_portable boolean
);
