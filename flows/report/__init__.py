"""Briefings: contexts from the warehouse, charts, HTML and PDF typesetting, publication."""
