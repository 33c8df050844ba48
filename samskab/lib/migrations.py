"""Helpers for migrations."""

from collections.abc import Callable, Sequence
from typing import Any


def postgresql_only(statements: Sequence[str]) -> Callable[[Any, Any], None]:
    """A RunPython function that executes `statements` on PostgreSQL and does nothing on other databases."""

    def apply(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply
