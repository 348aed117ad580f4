select
    claim_id, vendor_id, claim_text, metric, price_component, comparison, stated_value, computed_value,
    relative_error, status, evaluated_on, detail, current_value, current_status, as_of, source_id
from marts.claim_audit
