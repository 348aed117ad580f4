-- Audited claims (marts.claim_audit) in the order they were made: status on the claim's date
-- (evaluated_on) and re-checked on the as-of date (current_status).
select
    claim_id, vendor_id, claim_text, metric, stated_value, computed_value, relative_error, status,
    detail, current_status, evaluated_on, source_id
from marts.claim_audit
order by vendor_id, evaluated_on, claim_id
