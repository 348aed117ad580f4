"""Readers of the inputs: curated facts (YAML, CSV), the genai-prices catalog, LiteLLM cost maps."""
