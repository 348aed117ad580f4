-- Suite valuation_steps: whether a step down in valuation is marked as a down round.
select *, (step_up_multiple is null or step_up_multiple >= 1 or is_down_round) as step_down_is_marked
from marts.valuation_steps
