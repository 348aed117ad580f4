"""vendorbrief: sourced briefings on AI/LLM vendors from a validated DuckDB warehouse.

Subpackages follow the pipeline: sources (readers), warehouse (build, load, publish), quality
(suites), metrics (Polars), report (contexts and PDFs); orchestration holds the Prefect flows.
"""
