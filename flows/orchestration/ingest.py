"""Ingest stage: curated facts, the genai-prices catalog and LiteLLM snapshots into raw tables,
then the staging views, marts and public views."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flows.warehouse import load as lib
from flows.sources import litellm_catalog
from flows.settings import SOURCES_DIR
from flows.warehouse.store import connect_new


def _network_failure(task, task_run, state) -> bool:
    """Retry what a retry can mend: connection failures, timeouts and server errors."""
    import httpx

    try:
        state.result()
    except httpx.HTTPStatusError as exc:
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    except httpx.TransportError:
        return True
    except Exception:  # noqa: BLE001 - anything else (a bad file) fails at once
        return False
    return False


@task(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=2), retry_jitter_factor=0.2,
      retry_condition_fn=_network_failure, cache_policy=NO_CACHE, persist_result=False)
def fetch_snapshot(source: str) -> bytes:
    """A LiteLLM cost map from a URL (retried: networks fail) or a local file."""
    return litellm_catalog.read_source(source)


@task(cache_policy=NO_CACHE, persist_result=False)
def load_facts(build_path: str, sources_dir: str) -> dict[str, int]:
    """Task: the curated facts into raw.facts__*; rows per table."""
    with connect_new(Path(build_path)) as con:
        return lib.load_fact_base(con, Path(sources_dir))


@task(cache_policy=NO_CACHE, persist_result=False)
def load_genai_prices(build_path: str) -> dict[str, int]:
    """Task: the genai-prices catalog into raw.genai_prices__*; rows per table."""
    with connect_new(Path(build_path)) as con:
        return lib.load_genai_prices(con)


@task(cache_policy=NO_CACHE, persist_result=False)
def load_litellm_snapshots(build_path: str, extra_snapshot: str | None, extra_as_of: date | None,
                           sources_dir: str, extra_source: str | None = None) -> dict[str, int]:
    """Task: the bundled LiteLLM snapshots and the extra one (if any) into raw.litellm__*."""
    snaps = lib.bundled_snapshots(Path(sources_dir))
    if extra_snapshot:
        snaps.append(litellm_catalog.load_path(Path(extra_snapshot), extra_as_of, source_uri=extra_source))
    with connect_new(Path(build_path)) as con:
        return lib.load_litellm_snapshots(con, snaps)


@task(cache_policy=NO_CACHE, persist_result=False)
def build_models(build_path: str) -> dict[str, int]:
    """Task: build step `transform`; rows per table and view."""
    with connect_new(Path(build_path)) as con:
        lib.build_models(con)
        return lib.table_counts(con)


@flow(name="ingest", flow_run_name="ingest")
def ingest(build_path: str, extra_snapshot: str | None = None, extra_as_of: date | None = None,
           sources_dir: str = str(SOURCES_DIR), extra_source: str | None = None) -> dict[str, int]:
    """The ingest stage as a flow: facts, catalogs and snapshots into a new build, then the SQL layers.
    Returns rows per table."""
    counts = load_facts(build_path, sources_dir)
    counts |= load_genai_prices(build_path)
    counts |= load_litellm_snapshots(build_path, extra_snapshot, extra_as_of, sources_dir, extra_source)
    counts |= build_models(build_path)
    return counts


@flow(name="transform", flow_run_name="transform")
def transform(build_path: str) -> dict[str, int]:
    """Rebuild the as-of dependent layers when only the as-of date changed."""
    return build_models(build_path)
