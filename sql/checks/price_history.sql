-- Suite price_history: whether a cache read costs no more than the input price.
select
    *,
    (cache_read_usd_per_mtok is null or input_usd_per_mtok is null
     or cache_read_usd_per_mtok <= input_usd_per_mtok) as cache_read_not_dearer
from main.price_history
