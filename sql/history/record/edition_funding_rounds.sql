-- This edition's funding rounds: the baseline of the next edition's new rounds. Run by the
-- metrics stage with $run_id and $as_of.
insert into history.edition_funding_rounds
select $run_id, $as_of, round_id, vendor_id, round_name, announced_on, amount_usd, post_money_valuation_usd
from marts.funding_rounds
