-- One row per expectation run by the validate stage: the frame `dq_results_rows` holds them
-- (flows/quality/suites.py record), columns matched by name.
insert into history.dq_results by name
select * from dq_results_rows
