select run_id, previous_run_id, kind, vendor_id, subject, before_value, after_value, change
from marts.edition_changes
