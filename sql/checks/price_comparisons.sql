-- Suite price_comparisons: whether the blended price lies between the input and output prices
-- (cache hits can take it below both in cached-chat) and the gap between switch_saving and
-- 1 - blended_ratio.
select
    *,
    (profile = 'cached-chat'
     or blended_usd_per_mtok between least(input_usd_per_mtok, output_usd_per_mtok) - 1e-9
                                 and greatest(input_usd_per_mtok, output_usd_per_mtok) + 1e-9) as blend_within_prices,
    abs(switch_saving - (1 - blended_ratio)) as saving_gap
from main.price_comparisons
