"""Ingest stage: curated facts, the genai-prices catalog and LiteLLM snapshots into raw tables,
then the staging views, marts and public views.

Both price catalogs can be fetched fresh (`fetch_snapshot`, retried): LiteLLM's cost map
(LITELLM_URL) and the data file genai-prices publishes between its releases (GENAI_PRICES_URL,
genai_prices.update_prices.DEFAULT_UPDATE_URL); each is loaded as a dated snapshot beside the
bundled ones. Offline, the bundled LiteLLM maps and the installed genai-prices package are used."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from genai_prices.update_prices import DEFAULT_UPDATE_URL
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flows.orchestration import logs
from flows.settings import SOURCES_DIR
from flows.sources import genai_catalog, litellm_catalog, lmarena
from flows.warehouse import load as lib
from flows.warehouse.store import connect_new

# Where the daily-prices deployment fetches the two catalogs.
LITELLM_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
GENAI_PRICES_URL = DEFAULT_UPDATE_URL
CATALOG_URLS = {"litellm_source": LITELLM_URL, "genai_prices_source": GENAI_PRICES_URL}


def _network_failure(task, task_run, state) -> bool:
    """Retry what a retry can mend: connection failures, timeouts, server errors and 429. Anything
    else fails at once: a client error (a 4xx other than 429), a file that is not a catalog. An
    expected error that fails at once is remembered, so that the log shows it in one line: Prefect
    writes the record that carries the exception only when the retries run out."""
    import httpx

    try:
        state.result()
    except Exception as exc:  # noqa: BLE001 - the failure is classified, not handled
        status = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else None
        retry = isinstance(exc, httpx.TransportError) or (status is not None and (status >= 500 or status == 429))
        if not retry and logs.is_expected(exc):
            logs.remember(exc)
        return retry
    return False


@task(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=2), retry_jitter_factor=0.2,
      retry_condition_fn=_network_failure, cache_policy=NO_CACHE, persist_result=False)
def fetch_snapshot(source: str) -> bytes:
    """A catalog file (a LiteLLM cost map or a genai-prices data file) from a URL (retried:
    networks fail) or a local file."""
    return litellm_catalog.read_source(source)


@task(cache_policy=NO_CACHE, persist_result=False)
def load_facts(build_path: str, sources_dir: str) -> dict[str, int]:
    """Task: the curated facts into raw.facts__*; rows per table."""
    with connect_new(Path(build_path)) as con:
        return lib.load_fact_base(con, Path(sources_dir))


@task(cache_policy=NO_CACHE, persist_result=False)
def load_genai_prices(build_path: str, extra_snapshot: str | None = None, extra_as_of: date | None = None,
                      extra_source: str | None = None) -> dict:
    """Task: the installed genai-prices catalog and the extra data file (if any) into raw.genai_prices__*."""
    fetched = ([genai_catalog.load_path(Path(extra_snapshot), extra_as_of, source_uri=extra_source)]
               if extra_snapshot else [])
    with connect_new(Path(build_path)) as con:
        return lib.load_genai_prices(con, fetched)


@task(cache_policy=NO_CACHE, persist_result=False)
def load_litellm_snapshots(build_path: str, extra_snapshot: str | None, extra_as_of: date | None,
                           sources_dir: str, extra_source: str | None = None) -> dict:
    """Task: the bundled LiteLLM snapshots and the extra one (if any) into raw.litellm__*."""
    snaps = lib.iter_bundled_snapshots(Path(sources_dir))  # read one at a time, as they are loaded
    extra = ([litellm_catalog.load_path(Path(extra_snapshot), extra_as_of, source_uri=extra_source)]
             if extra_snapshot else [])
    with connect_new(Path(build_path)) as con:
        return lib.load_litellm_snapshots(con, snaps, extra)


@task(cache_policy=NO_CACHE, persist_result=False)
def load_leaderboards(build_path: str, sources_dir: str) -> dict:
    """Task: the bundled LMArena leaderboards into raw.lmarena__*."""
    with connect_new(Path(build_path)) as con:
        return lmarena.load_bundled(con, Path(sources_dir))


@task(cache_policy=NO_CACHE, persist_result=False)
def build_models(build_path: str) -> dict[str, int]:
    """Task: build step `transform`; rows per table and view."""
    with connect_new(Path(build_path)) as con:
        lib.build_models(con)
        return lib.table_counts(con)


@flow(name="ingest", flow_run_name="ingest")
def ingest(build_path: str, extra_snapshot: str | None = None, extra_as_of: date | None = None,
           sources_dir: str = str(SOURCES_DIR), extra_source: str | None = None,
           genai_snapshot: str | None = None, genai_as_of: date | None = None,
           genai_source: str | None = None) -> dict:
    """The ingest stage as a flow: facts, catalogs and snapshots into a new build, then the SQL layers.
    extra_*: a LiteLLM map to add; genai_*: a genai-prices data file to add. Returns rows per table
    and the catalogs' load messages."""
    counts = load_facts(build_path, sources_dir)
    counts |= load_genai_prices(build_path, genai_snapshot, genai_as_of, genai_source)
    counts |= load_litellm_snapshots(build_path, extra_snapshot, extra_as_of, sources_dir, extra_source)
    counts |= load_leaderboards(build_path, sources_dir)
    counts |= build_models(build_path)
    return counts


@flow(name="transform", flow_run_name="transform")
def transform(build_path: str) -> dict[str, int]:
    """Rebuild the as-of dependent layers when only the as-of date changed."""
    return build_models(build_path)
