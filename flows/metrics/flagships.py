"""Each vendor's flagship on the edition date and the reference model it is compared with:
computed once here, written to marts.vendor_flagships, read by the vendor metrics and the briefings.

The flagship is the newest current model of the vendor's flagship families (a vendor file's
`flagship_families`, matched in sql/marts/catalog_lineup.sql) on its own platform: newest by
release date when curated, else by the first date the catalogs' history shows it listed; models
first seen the same day go by the version numbers in their name (Grok 4.7 before Grok 4.6), then
by model id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

SCHEMA = {"vendor_id": pl.String, "flagship_model_id": pl.String, "flagship_family": pl.String,
          "flagship_since": pl.Date, "reference_model_id": pl.String}


def version_key(name: str | None) -> tuple[int, ...]:
    """The version numbers in a model name, for ordering: 'GPT-6.1 Sol' -> (6, 1),
    'claude-opus-4-5-20251101' -> (4, 5, 20251101)."""
    return tuple(int(n) for n in re.findall(r"\d+", name or ""))


def newest_first(models: pl.DataFrame) -> pl.DataFrame:
    """The models newest first: by coalesce(released_on, first_seen_on) (unknown dates last), then
    by the version numbers of their name, then by model id."""
    dated = models.with_columns(pl.coalesce("released_on", "first_seen_on").alias("_since"))
    rows = dated.to_dicts()
    rows.sort(key=lambda r: (r["model_id"]))
    rows.sort(key=lambda r: version_key(r["model_name"]), reverse=True)
    rows.sort(key=lambda r: (r["_since"] is None, -(r["_since"].toordinal() if r["_since"] else 0)))
    order = {r["model_id"]: i for i, r in enumerate(rows)}
    return dated.with_columns(pl.col("model_id").replace_strict(order, return_dtype=pl.Int64).alias("_order")) \
        .sort("_order").drop("_order")


def flagship_models(lineup: pl.DataFrame) -> pl.DataFrame:
    """Each vendor's flagship: its newest current model of a flagship family (see the module).

    lineup: marts.catalog_lineup (vendor_id, model_id, model_name, status, flagship_family,
    released_on, first_seen_on). Returns one row per vendor that has one: vendor_id,
    flagship_model_id, flagship_family, flagship_since (the date it is newest by)."""
    current = lineup.filter((pl.col("status") == "current") & pl.col("flagship_family").is_not_null())
    if current.is_empty():
        return pl.DataFrame(schema={k: v for k, v in SCHEMA.items() if k != "reference_model_id"})
    ordered = newest_first(current)
    return (ordered.group_by("vendor_id", maintain_order=True).first()
            .select("vendor_id", pl.col("model_id").alias("flagship_model_id"), "flagship_family",
                    pl.col("_since").alias("flagship_since")))


def vendor_flagships(vendor_ids: Sequence[str], lineup: pl.DataFrame, reference_models: Sequence[str],
                     comparable: set[str] | None = None) -> pl.DataFrame:
    """One row per vendor of `vendor_ids`, in that order: vendor_id, flagship_model_id,
    flagship_family, flagship_since (NULL when the vendor has no current model of a flagship
    family) and reference_model_id: the first of `reference_models` (config
    briefing.reference_models, in preference order) made by another vendor that may be compared
    on the edition date (`comparable`: the ids of current, priced, non-free models; default: every
    lineup model), NULL when there is none.
    """
    flags = {r["vendor_id"]: r for r in flagship_models(lineup).iter_rows(named=True)}
    owner = dict(zip(lineup["model_id"], lineup["vendor_id"], strict=True))
    usable = set(lineup["model_id"]) if comparable is None else comparable
    rows = []
    for vid in vendor_ids:
        f = flags.get(vid, {})
        reference = next((m for m in reference_models if m in usable and owner.get(m) not in (None, vid)), None)
        rows.append((vid, f.get("flagship_model_id"), f.get("flagship_family"), f.get("flagship_since"), reference))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")

