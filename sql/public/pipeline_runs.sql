select run_id, as_of, started_at, finished_at, status, vendors, stages_run, stages_skipped, input_hashes, message
from history.pipeline_runs
