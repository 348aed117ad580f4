select as_of, vendor_id, metric, value from marts.vendor_metrics
