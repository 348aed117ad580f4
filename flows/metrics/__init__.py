"""Comparison metrics in Polars, one module per family; every metric is computed as of a date."""
