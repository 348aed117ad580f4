-- Audited claims (marts.claim_audit) in the order they were made: status on the claim's date
-- (evaluated_on) and re-checked on the as-of date (current_status, current_detail: "not
-- re-checked: ..." for a claim on a retired model); operands (JSON) and comparison let a briefing
-- restate a funding claim's detail in its edition currency (flows/metrics/claims.py describe).
select
    claim_id, vendor_id, claim_text, metric, comparison, stated_value, computed_value, relative_error,
    status, detail, operands, current_status, current_detail, evaluated_on, source_id
from marts.claim_audit
order by vendor_id, evaluated_on, claim_id
