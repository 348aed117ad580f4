-- Rows the validate stage quarantined: the frame `dq_quarantine_rows` holds them
-- (flows/quality/suites.py record), columns matched by name.
insert into history.dq_quarantine by name
select * from dq_quarantine_rows
