"""The archive as a WACZ 1.2 package: the format ReplayWeb.page and Browsertrix read and archivists hand on.

A WACZ is a ZIP holding the WARC (``archive/data.warc.gz``, stored uncompressed in the ZIP so
that a reader can seek into it), its CDXJ index (``indexes/index.cdx``), the list of pages a
reader starts from (``pages/pages.jsonl``: each archived opinion with its title and the time of
its last good capture), ``datapackage.json`` (``profile: "wacz"``, every other file's SHA-256
and size) and ``datapackage-digest.json`` (the hash of ``datapackage.json``, so that one hash
vouches for the whole package).

Written ``since`` a moment, the package holds the captures fetched since; a capture whose body
was captured before is a revisit of that earlier capture, which an earlier package holds.
``datapackage.json`` then says so under ``continues``: which captures the revisits depend on
(those fetched before the moment, as the package written without ``since`` or up to it holds).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass
from importlib.metadata import version
from typing import BinaryIO

from .captures import Moment
from .cdxj import cdxj_lines
from .sites import DEFAULT_SITE, document_sites
from .store import Archive, utc_now
from .warc import WarcCounts, write_warc

WARC_NAME = "data.warc.gz"
CAPTURED = "as captured by npc-archive: every page byte for byte as the server sent it, with the stylesheets and images the pages use."
TITLE = "审议意见 of 椒江人大网"
DESCRIPTION = f"Review opinions (审议意见) of the Standing Committee of the People's Congress of Jiaojiang District, {CAPTURED}"


def package_title(archive: Archive, site: str | None) -> tuple[str, str]:
    """The package's title and description: of 椒江人大网 (the default site), of the one site
    the package holds, or of the sites an archive of many holds."""
    sites = [site] if site is not None else document_sites(archive)
    if sites in ([], [DEFAULT_SITE]):
        return TITLE, DESCRIPTION
    named = f"site {sites[0]}" if len(sites) == 1 else f"{len(sites)} sites ({', '.join(sites)})"
    return f"审议意见 of {named}", f"Review opinions (审议意见) of {named}, {CAPTURED}"


@dataclass
class WaczCounts:
    warc: WarcCounts
    pages: int
    index_lines: int
    continues: dict | None = None


def archived_pages(archive: Archive, since: Moment | str | None = None, site: str | None = None) -> list[dict]:
    """Each archived opinion (of the site named ``site``, if given) as a WACZ page: its URL, title
    and the time of its last good capture (a removed opinion's last capture before the site took it down)."""
    conditions, params = ["s.fetched_at >= ?"] if since else [], [Moment.parse(since).utc()] if since else []
    if site is not None:
        conditions.append("d.site = ?")
        params.append(site)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = archive.conn.execute(
        "SELECT d.id, d.url, d.title, s.fetched_at, d.removed_at FROM documents d JOIN snapshots s ON s.id = d.capture_id "
        f"{where} ORDER BY d.published_at, d.id", params)
    pages = []
    for document_id, url, title, fetched_at, removed_at in rows:
        page = {"id": f"document-{document_id}", "url": url, "ts": fetched_at, "title": title}
        if removed_at:
            page["removed_at"] = removed_at
        pages.append(page)
    return pages


def _entry(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compress
    return info


def write_wacz(archive: Archive, stream: BinaryIO, since: Moment | str | None = None, site: str | None = None) -> WaczCounts:
    """Write the package of the captures fetched on or after ``since`` (all by default) to
    ``stream``; of the site named ``site`` only, if given (its title says so)."""
    with tempfile.TemporaryFile() as warc:
        counts = write_warc(archive, warc, since, filename=WARC_NAME, earlier_revisits=since is not None, site=site)
        warc.seek(0)
        index = "".join(f"{line}\n" for line in cdxj_lines(warc, WARC_NAME)).encode("utf-8")
        pages = archived_pages(archive, since, site)
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Archived opinions"}
        pages_bytes = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in [header, *pages]).encode("utf-8")
        warc.seek(0)
        warc_hash, warc_size = hashlib.sha256(), 0
        for chunk in iter(lambda: warc.read(1 << 20), b""):
            warc_hash.update(chunk)
            warc_size += len(chunk)
        resources = [
            {"name": WARC_NAME, "path": f"archive/{WARC_NAME}", "hash": f"sha256:{warc_hash.hexdigest()}", "bytes": warc_size},
            *(_resource(path, data) for path, data in (("indexes/index.cdx", index), ("pages/pages.jsonl", pages_bytes))),
        ]
        now = utc_now()
        title, description = package_title(archive, site)
        package = {
            "profile": "wacz",
            "title": title,
            "description": description,
            "created": now,
            "modified": now,
            "software": f"npc-archive/{version('npc-archive')}",
            "resources": resources,
        }
        continues = None
        if since is not None:
            continues = {"capturesBefore": Moment.parse(since).utc(), "revisits": counts.earlier,
                         "description": "revisit records of bodies captured before this time: read this package together "
                                        "with one holding the captures fetched before it (npc-archive wacz without --since, "
                                        "or with an earlier --since" + (f", and --site {site}" if site else "") + ")"}
            package["continues"] = continues
        if pages:
            package["home"] = {"url": pages[-1]["url"], "ts": pages[-1]["ts"]}
        package_bytes = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
        digest = {"path": "datapackage.json", "hash": f"sha256:{hashlib.sha256(package_bytes).hexdigest()}"}
        with zipfile.ZipFile(stream, "w") as package_zip:
            warc.seek(0)
            with package_zip.open(_entry(f"archive/{WARC_NAME}", zipfile.ZIP_STORED), "w") as member:
                for chunk in iter(lambda: warc.read(1 << 20), b""):
                    member.write(chunk)
            for name, data in (("indexes/index.cdx", index), ("pages/pages.jsonl", pages_bytes),
                               ("datapackage.json", package_bytes),
                               ("datapackage-digest.json", json.dumps(digest, indent=2).encode("utf-8"))):
                package_zip.writestr(_entry(name, zipfile.ZIP_DEFLATED), data)
    return WaczCounts(counts, len(pages), index.count(b"\n"), continues)


def _resource(path: str, data: bytes) -> dict:
    return {"name": path.rsplit("/", 1)[1], "path": path, "hash": f"sha256:{hashlib.sha256(data).hexdigest()}", "bytes": len(data)}
