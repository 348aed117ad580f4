select run_id, suite, expectation, severity, success, observed_value, unexpected_count, unexpected_sample,
       column_name, description
from history.dq_results
