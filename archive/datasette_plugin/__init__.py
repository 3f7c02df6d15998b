"""The project's Datasette plugin: what ``datasette data/archive.db`` shows an analyst once npc-archive is installed.

Registered by the ``datasette`` entry point in pyproject.toml. It gives every connection the
search's SQL functions (so the canned ``search`` query is a few lines and finds what
``npc-archive search`` finds), the shipped metadata to every archive whatever its file name,
short cells in tables, a stylesheet for readable row pages, and the documents table opened on
the columns an analyst reads first.
"""

from __future__ import annotations

import html
import re
import sqlite3
from importlib import resources

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from ..analysis import metadata_for
from ..search import register_functions

STYLESHEET = "/-/npc-archive.css"
TRUNCATE_CELLS = 80  # characters of a table cell (Datasette's default, 2,048, makes rows of body text 700 px tall)
# The documents table as first opened: what an opinion is and says (its row page, a click on its id, has the rest).
DOCUMENT_COLUMNS = ("published_at", "title", "subject", "addressee", "report_deadline", "report_due", "view_count", "source")
_HIT = re.compile(r"\[([^\[\]]*)\]")
_archives: dict[str, bool] = {}


def _is_archive(database) -> bool:
    """Whether a Datasette database is an npc-archive archive (its file has documents and search_index)."""
    if database.path is None:
        return False
    if database.path not in _archives:
        try:
            conn = sqlite3.connect(f"file:{database.path}?mode=ro", uri=True)
            try:
                names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
            finally:
                conn.close()
        except sqlite3.Error:
            names = set()
        _archives[database.path] = {"documents", "search_index"} <= names
    return _archives[database.path]


def archive_names(datasette) -> list[str]:
    return [name for name, database in datasette.databases.items() if _is_archive(database)]


@hookimpl
def prepare_connection(conn):
    register_functions(conn)


@hookimpl
def get_metadata(datasette):
    names = archive_names(datasette)
    return metadata_for(names) if names else {}


@hookimpl
def startup(datasette):
    # Settings have no plugin hook: take the short cells unless the user chose a length.
    from datasette.app import DEFAULT_SETTINGS  # not at the top: datasette.app imports the plugins
    if datasette.setting("truncate_cells_html") == DEFAULT_SETTINGS["truncate_cells_html"]:
        datasette._settings["truncate_cells_html"] = TRUNCATE_CELLS


@hookimpl
def extra_css_urls():
    return [STYLESHEET]


def _stylesheet():
    css = resources.files("archive").joinpath("datasette", "archive.css").read_text(encoding="utf-8")
    return Response(css, content_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"})


@hookimpl
def register_routes():
    return [(re.escape(STYLESHEET) + "$", _stylesheet)]


@hookimpl
def render_cell(value, column, table, database, datasette):
    """The search query's excerpts with their matches marked, as ``npc-archive search`` brackets them."""
    if table is None and column == "excerpt" and isinstance(value, str) and database in archive_names(datasette):
        return Markup(_HIT.sub(r"<mark>\1</mark>", html.escape(value)))
    return None


@hookimpl
def asgi_wrapper(datasette):
    """``/DB/documents`` with no query string opens on DOCUMENT_COLUMNS (a ``_col`` list; 'Show all columns' undoes it)."""
    def wrap(app):
        async def opened_on_columns(scope, receive, send):
            if scope["type"] == "http" and not scope.get("query_string"):
                parts = scope["path"].strip("/").split("/")
                if len(parts) == 2 and parts[1] == "documents" and parts[0] in archive_names(datasette):
                    query = "&".join(f"_col={column}" for column in DOCUMENT_COLUMNS)
                    location = datasette.urls.table(parts[0], "documents") + "?" + query
                    await send({"type": "http.response.start", "status": 302,
                                "headers": [(b"location", location.encode()), (b"content-length", b"0")]})
                    await send({"type": "http.response.body", "body": b""})
                    return
            await app(scope, receive, send)
        return opened_on_columns
    return wrap
