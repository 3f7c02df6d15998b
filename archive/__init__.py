"""The SQLite archive: schema and migrations, storage, queries, exports, replay. Imports nothing of ours."""

from .store import Archive

__all__ = ["Archive"]
