-- The run whose briefings these are (raw.run_context): its id and as-of date.
select run_id, as_of from raw.run_context
