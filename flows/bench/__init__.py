"""Benchmarks (`python -m flows.bench`) and the synthetic data they scale."""
