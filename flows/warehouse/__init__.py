"""The DuckDB warehouse: build files under sql/ in order, load the sources into raw tables,
publish a finished build with one rename."""
