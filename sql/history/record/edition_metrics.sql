-- This edition's vendor metrics: the baseline of the next edition's metric moves. Run by the
-- metrics stage with $run_id and $as_of, after marts.vendor_metrics is written.
insert into history.edition_metrics
select $run_id, $as_of, vendor_id, metric, value
from marts.vendor_metrics
