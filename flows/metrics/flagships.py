"""Each vendor's flagship model and the reference model it is compared with: computed once here,
written to marts.vendor_flagships, read by the vendor metrics and the briefings."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

SCHEMA = {"vendor_id": pl.String, "flagship_model_id": pl.String, "reference_model_id": pl.String}


def flagship_models(models: pl.DataFrame) -> pl.DataFrame:
    """Each vendor's flagship: its latest-released priced flagship-class model, else its
    latest-released flagship-class model; ties go to the smaller model id, unknown release dates last.

    models: marts.models (model_id, vendor_id, model_class, released_on, input_usd_per_mtok).
    Returns one row per vendor that has a flagship-class model: vendor_id, flagship_model_id.
    """
    flag = models.filter(pl.col("model_class") == "flagship").with_columns(
        pl.col("input_usd_per_mtok").is_not_null().alias("is_priced"))
    return (flag.sort("vendor_id", "is_priced", "released_on", "model_id", descending=[False, True, True, False],
                      nulls_last=True)
            .group_by("vendor_id", maintain_order=True).first()
            .select("vendor_id", pl.col("model_id").alias("flagship_model_id")))


def vendor_flagships(vendor_ids: Sequence[str], models: pl.DataFrame, reference_models: Sequence[str]) -> pl.DataFrame:
    """One row per vendor of `vendor_ids`, in that order: vendor_id, flagship_model_id (NULL when
    the vendor has no flagship-class model) and reference_model_id: the first of
    `reference_models` (config briefing.reference_models, in preference order) that is a curated
    model of marts.models made by another vendor, priced or not (NULL when there is none).
    """
    flag = dict(flagship_models(models).iter_rows())
    owner = dict(zip(models["model_id"], models["vendor_id"], strict=True))
    rows = [(vid, flag.get(vid), next((m for m in reference_models if owner.get(m) not in (None, vid)), None))
            for vid in vendor_ids]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")
