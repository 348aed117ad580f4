-- Every table and view of the warehouse (schema.name), for the row counts of a stage's summary.
select schema_name || '.' || table_name as name
from duckdb_tables()
where database_name = current_database()
union all
select schema_name || '.' || view_name
from duckdb_views()
where not internal and database_name = current_database()
order by 1
