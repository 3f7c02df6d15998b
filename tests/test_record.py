"""The record of an article page is declared once (``parsers.record.DocumentRecord``): the
parser returns that shape, and the archive reads and exports every key of it, so a field
cannot be half-added (declared but not stored, or stored but not declared)."""

from __future__ import annotations

import io
import json
from dataclasses import fields, replace
from itertools import count
from types import NoneType
from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

from archive.export import write_export
from archive.store import Archive
from parsers import ArticlePage, DocumentRecord, parse_article
from parsers.record import NOT_ARCHIVED

# The columns of a documents export that the crawl gives, not the record.
CRAWL_COLUMNS = {"id", "revision", "capture_id", "snapshot_id", "first_seen_at", "last_seen_at", "removed_at",
                 "column_kind", "column_url",  # the column the crawl found it listed in
                 "followup_status", "followup_days",  # what the follow-ups linked to it say
                 "site"}  # the site of the crawl that archived it


def _parts(hint: Any) -> tuple[bool, Any]:
    """Whether ``hint`` is a list, and of what: ``list[X]``, ``X | None`` and ``X`` give X."""
    args = [arg for arg in get_args(hint) if arg is not NoneType]
    if get_origin(hint) is list:
        return True, args[0]
    return False, args[0] if args else hint


def declared_keys(typed: type, prefix: str = "") -> set[str]:
    """Every key of a TypedDict, nested ones as ``facts.issuer``, ``sections.items.text``."""
    keys = set()
    for name, hint in get_type_hints(typed).items():
        keys.add(prefix + name)
        _, inner = _parts(hint)
        if is_typeddict(inner):
            keys |= declared_keys(inner, f"{prefix}{name}.")
    return keys


def sample(typed: type, numbers: count, prefix: str = "") -> dict:
    """A record built from the declaration alone: each string its own key's path, each number
    a distinct one, each list one element, nothing None. A new field gets a value too."""
    record = {}
    for name, hint in get_type_hints(typed).items():
        path, (is_list, inner) = prefix + name, _parts(hint)
        value = sample(inner, numbers, path + ".") if is_typeddict(inner) else next(numbers) if inner is int else path
        record[name] = [value] if is_list else value
    return record


class KeysRead(dict):
    """A record that notes the keys read from it, nested records' too."""

    def __init__(self, data: dict, read: set[str], prefix: str = "") -> None:
        super().__init__({key: _watched(value, read, f"{prefix}{key}.") for key, value in data.items()})
        self._read, self._prefix = read, prefix

    def __getitem__(self, key: str) -> Any:
        self._read.add(self._prefix + key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._read.add(self._prefix + key)
        return super().get(key, default)


def _watched(value: Any, read: set[str], prefix: str) -> Any:
    if isinstance(value, dict):
        return KeysRead(value, read, prefix)
    if isinstance(value, list):
        return [_watched(item, read, prefix) for item in value]
    return value


def leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item)]
    return [value]


def test_the_parser_returns_the_declared_record(table_pages):
    page = parse_article(*table_pages.article(table_pages.reference))
    assert [f.name for f in fields(ArticlePage)] == list(get_type_hints(DocumentRecord))
    assert declared_keys(DocumentRecord) >= {key for key in _paths(page.to_dict())}


def containers(value: Any) -> list[Any]:
    """Every list and dict in ``value``, nested ones too."""
    if isinstance(value, dict):
        return [value] + [found for item in value.values() for found in containers(item)]
    if isinstance(value, list):
        return [value] + [found for item in value for found in containers(item)]
    return []


def test_the_record_is_a_copy_that_shares_no_list_or_dict_with_the_page():
    # Built from the declaration alone, so a field added later is checked too.
    full = ArticlePage(**sample(DocumentRecord, count()))
    for page in (full, replace(full, prev=None, attachments=[])):
        record = page.to_dict()
        assert record == {field.name: getattr(page, field.name) for field in fields(ArticlePage)}
        assert not {id(found) for found in containers(record)} & {id(found) for found in containers(vars(page))}


def _paths(record: dict, prefix: str = "") -> set[str]:
    found = set()
    for key, value in record.items():
        found.add(prefix + key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                found |= _paths(item, f"{prefix}{key}.")
    return found


def test_the_archive_stores_and_exports_every_declared_key(tmp_path):
    record = sample(DocumentRecord, count(1001))
    archived = declared_keys(DocumentRecord) - NOT_ARCHIVED
    read: set[str] = set()
    archive = Archive(tmp_path / "archive.db")
    capture_id, _ = archive.add_capture(url=record["url"], status=200, headers=[], body=b"<html></html>")
    archive.save_document(KeysRead(record, read), capture_id=capture_id, crawl_id=None)
    assert read == archived

    stream = io.StringIO()
    write_export(archive, stream, "jsonl")
    row = json.loads(stream.getvalue())
    exported = set(leaves(row))
    leaf_keys = {key for key in archived if not any(other.startswith(key + ".") for other in archived)}
    assert {key for key in leaf_keys if not set(leaves(_at(record, key))) <= exported} == set()
    # ... and every column of the export is the crawl's or holds a value of the record.
    given = set(leaves(record))
    assert {column for column, value in row.items() if column not in CRAWL_COLUMNS and not set(leaves(value)) & given} == set()


def _at(record: dict, path: str) -> Any:
    """The value at ``facts.issuer`` or ``sections.items.text`` (lists hold one element)."""
    value: Any = record
    for key in path.split("."):
        value = value[0][key] if isinstance(value, list) else value[key]
    return value
