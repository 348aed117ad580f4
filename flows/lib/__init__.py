"""Plain, typed functions behind the Prefect flows: no Prefect imports here, so tests need no server."""
