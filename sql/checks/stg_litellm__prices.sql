-- Suite stg_litellm__prices: whether an entry has a provider (or is an alias of one that has).
select *, (alias_of is not null or provider_id is not null) as has_provider
from staging.stg_litellm__prices
