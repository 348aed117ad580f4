"""Data-quality suites (Great Expectations) that gate publication."""
