"""Errors a user can act on: each names the file, the record and the field at fault."""

from __future__ import annotations


class VendorbriefError(Exception):
    """An expected failure with a message for the user; shown without a traceback."""


class InputError(VendorbriefError):
    """Bad input data: names the file, the record and the field."""

    def __init__(self, file: str, record: str | None, field: str | None, problem: str):
        self.file, self.record, self.field, self.problem = file, record, field, problem
        where = file
        if record:
            where += f": record {record}"
        if field:
            where += f": field '{field}'"
        super().__init__(f"{where}: {problem}")


class RunLockedError(VendorbriefError):
    """Another run holds the warehouse."""


class QualityGateError(VendorbriefError):
    """Error-severity expectations failed: nothing is published."""

    def __init__(self, summary: str, failures: list[dict] | None = None):
        self.failures = failures or []
        super().__init__(summary)
