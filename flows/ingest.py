"""Ingest stage: curated facts, the genai-prices catalog and LiteLLM snapshots into raw tables,
then the staging views, marts and public views."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flows.lib import ingest as lib
from flows.lib import litellm_catalog
from flows.lib.settings import SOURCES_DIR
from flows.lib.warehouse import connect_new


@task(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=2), retry_jitter_factor=0.2,
      cache_policy=NO_CACHE, persist_result=False)
def fetch_snapshot(source: str) -> bytes:
    """A LiteLLM cost map from a URL (retried: networks fail) or a local file."""
    if source.startswith(("http://", "https://")):
        return litellm_catalog.fetch_url(source)
    return litellm_catalog.read_bytes(Path(source))


@task(cache_policy=NO_CACHE, persist_result=False)
def load_facts(build_path: str, sources_dir: str) -> dict[str, int]:
    with connect_new(Path(build_path)) as con:
        return lib.load_fact_base(con, Path(sources_dir))


@task(cache_policy=NO_CACHE, persist_result=False)
def load_genai_prices(build_path: str) -> dict[str, int]:
    with connect_new(Path(build_path)) as con:
        return lib.load_genai_prices(con)


@task(cache_policy=NO_CACHE, persist_result=False)
def load_litellm_snapshots(build_path: str, extra_snapshot: str | None, extra_as_of: date | None,
                           sources_dir: str) -> dict[str, int]:
    snaps = lib.bundled_snapshots(Path(sources_dir))
    if extra_snapshot:
        snaps.append(litellm_catalog.load_path(Path(extra_snapshot), extra_as_of))
    with connect_new(Path(build_path)) as con:
        return lib.load_litellm_snapshots(con, snaps)


@task(cache_policy=NO_CACHE, persist_result=False)
def build_models(build_path: str) -> dict[str, int]:
    with connect_new(Path(build_path)) as con:
        lib.build_models(con)
        return lib.table_counts(con)


@flow(name="ingest", flow_run_name="ingest")
def ingest(build_path: str, extra_snapshot: str | None = None, extra_as_of: date | None = None,
           sources_dir: str = str(SOURCES_DIR)) -> dict[str, int]:
    counts = load_facts(build_path, sources_dir)
    counts |= load_genai_prices(build_path)
    counts |= load_litellm_snapshots(build_path, extra_snapshot, extra_as_of, sources_dir)
    counts |= build_models(build_path)
    return counts


@flow(name="transform", flow_run_name="transform")
def transform(build_path: str) -> dict[str, int]:
    """Rebuild the as-of dependent layers when only the as-of date changed."""
    return build_models(build_path)
