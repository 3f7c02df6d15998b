"""The SQLite archive: schema and migrations, storage, queries, exports and the CLI."""

from .store import Archive

__all__ = ["Archive"]
