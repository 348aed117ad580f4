"""Prefect flows and deployments: thin wrappers over the plain stage functions."""
