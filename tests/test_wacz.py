"""`npc-archive wacz`: a WACZ 1.2 package of a crawl and a refresh run, checked with py-wacz's
validation and frictionless, and replayed, stylesheet and all, in pywb."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from frictionless import validate as frictionless_validate
from wacz.validate import Validation
from warcio.archiveiterator import ArchiveIterator

from npc_archive.exit_codes import CANNOT_WRITE

BIN = Path(sys.executable).parent
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def package(refreshed_after_changes, tmp_path_factory, cli) -> Path:
    path = tmp_path_factory.mktemp("wacz") / "opinions.wacz"
    result = cli("wacz", "--db", refreshed_after_changes.db, path)
    assert result.output.startswith(f"Wrote {path}: ")
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package_zip:
        return {name: package_zip.read(name) for name in package_zip.namelist()}


def test_the_package_has_the_wacz_layout_and_hashes_every_file(package):
    files = members(package)
    assert sorted(files) == ["archive/data.warc.gz", "datapackage-digest.json", "datapackage.json",
                             "indexes/index.cdx", "pages/pages.jsonl"]
    with zipfile.ZipFile(package) as package_zip:
        assert package_zip.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED  # readers seek into it
    datapackage = json.loads(files["datapackage.json"])
    assert datapackage["profile"] == "wacz" and "wacz_version" not in datapackage  # WACZ 1.2
    assert {resource["path"] for resource in datapackage["resources"]} == set(files) - {"datapackage.json", "datapackage-digest.json"}
    for resource in datapackage["resources"]:
        data = files[resource["path"]]
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}" and resource["bytes"] == len(data)
    digest = json.loads(files["datapackage-digest.json"])
    assert digest == {"path": "datapackage.json", "hash": f"sha256:{hashlib.sha256(files['datapackage.json']).hexdigest()}"}


def test_pages_list_every_archived_opinion_with_its_title_and_last_good_capture(package, refreshed_after_changes, query):
    lines = [json.loads(line) for line in members(package)["pages/pages.jsonl"].decode("utf-8").splitlines()]
    assert lines[0] == {"format": "json-pages-1.0", "id": "pages", "title": "Archived opinions"}
    documents = query(refreshed_after_changes.db, "SELECT d.url, d.title, s.fetched_at FROM documents d "
                                                  "JOIN snapshots s ON s.id = d.capture_id")
    assert sorted((page["url"], page["title"], page["ts"]) for page in lines[1:]) == sorted(documents)
    removed = next(page for page in lines[1:] if page["url"] == refreshed_after_changes.removed_url)
    assert "removed_at" in removed


def test_the_index_points_at_every_response_and_revisit_record(package):
    files = members(package)
    index = files["indexes/index.cdx"].decode("utf-8").splitlines()
    assert index == sorted(index)
    warc = files["archive/data.warc.gz"]
    kinds = {"response": 0, "revisit": 0}
    for line in index:
        key, timestamp, fields = line.split(" ", 2)
        fields = json.loads(fields)
        assert len(timestamp) == 14 and fields["filename"] == "data.warc.gz"
        chunk = warc[int(fields["offset"]):int(fields["offset"]) + int(fields["length"])]
        record = next(iter(ArchiveIterator(io.BytesIO(chunk))))
        assert record.rec_headers.get_header("WARC-Target-URI") == fields["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == f"sha1:{fields['digest']}"
        assert key.startswith("1,0,0,127:") and ")/" in key
        kinds[record.rec_type] += 1
    assert kinds["response"] and kinds["revisit"]  # the refresh run found most pages unchanged


def test_py_wacz_checks_that_apply_to_wacz_1_2_pass(package, tmp_path):
    validation = Validation(str(package))
    assert validation.check_required_contents() == 0
    assert validation.check_file_paths() and validation.check_file_hashes() and validation.check_data_package_hash_and_sig()
    # frictionless reads `profile` as a schema to fetch: WACZ 1.2's "wacz" is a name, so it is set aside.
    descriptor = json.loads(members(package)["datapackage.json"])
    descriptor.pop("profile")
    (Path(validation.dir.name) / "checked.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = frictionless_validate(str(Path(validation.dir.name) / "checked.json"))
    assert report.valid, report.flatten(["type", "note"])
    # py-wacz 0.6 itself asks for `wacz_version`, which WACZ 1.2 removed, and rejects the package for that alone.
    result = subprocess.run([BIN / "wacz", "validate", "-f", package], capture_output=True, text=True)
    assert result.returncode == 0 or "Version missing from datapackage.json" in result.stdout


def test_a_package_since_a_moment_records_the_earlier_captures_its_revisits_need(refreshed_after_changes, tmp_path, cli, query):
    (second_crawl,) = query(refreshed_after_changes.db, "SELECT started_at FROM crawls ORDER BY id DESC LIMIT 1")[0]
    path = tmp_path / "since.wacz"
    result = cli("wacz", "--db", refreshed_after_changes.db, path, "--since", second_crawl)
    datapackage = json.loads(members(path)["datapackage.json"])
    continues = datapackage["continues"]
    assert continues["capturesBefore"] <= second_crawl + "Z" and continues["revisits"] > 0
    assert f"{continues['revisits']} revisits refer to captures before" in result.output
    records = list(ArchiveIterator(io.BytesIO(members(path)["archive/data.warc.gz"])))
    revisits = [r for r in records if r.rec_type == "revisit"]
    assert revisits and all(r.rec_headers.get_header("WARC-Refers-To-Date") < second_crawl + "Z" for r in revisits)
    fetched = {r.rec_headers.get_header("WARC-Date") for r in records if r.rec_type in ("response", "revisit")}
    assert all(date >= second_crawl for date in fetched)


def test_wacz_to_stdout_is_the_same_package_and_a_missing_folder_is_one_line(refreshed_after_changes, tmp_path, npc_archive):
    written = subprocess.run([sys.executable, "-m", "npc_archive", "wacz", "--db", str(refreshed_after_changes.db), "-"],
                             capture_output=True, check=True)
    assert written.stderr.decode().startswith("Wrote -: ")
    (tmp_path / "out.wacz").write_bytes(written.stdout)
    assert Validation(str(tmp_path / "out.wacz")).check_file_hashes()
    result = npc_archive("wacz", "--db", str(refreshed_after_changes.db), str(tmp_path / "no" / "x.wacz"), check=False)
    assert result.returncode == CANNOT_WRITE and "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str, bytes]:
    with DIRECT.open(url, timeout=30) as response:
        return response.status, response.headers["Content-Type"], response.read()


@pytest.fixture(scope="module")
def pywb(package, tmp_path_factory):
    """pywb's own server on 127.0.0.1, its collection made from the package's WARC and index."""
    folder = tmp_path_factory.mktemp("pywb")
    subprocess.run([BIN / "wb-manager", "init", "opinions"], cwd=folder, check=True, capture_output=True)
    subprocess.run([BIN / "wb-manager", "add", "--unpack-wacz", "opinions", package], cwd=folder, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([BIN / "wayback", "--port", str(port), "-b", "127.0.0.1"], cwd=folder,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/opinions"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_pywb_replays_an_article_from_the_package_with_its_stylesheet(pywb, package, refreshed_after_changes, table_pages):
    url = refreshed_after_changes.edited_url
    origin = refreshed_after_changes.server.base_url
    status, content_type, page = fetch(f"{pywb}/2099mp_/{url}")
    assert status == 200 and content_type.startswith("text/html")
    assert "区政府要定期向区人大常委会报告工作进展。" in page.decode("utf-8", "replace") + page.decode("gb18030", "replace")
    assert f'href="/opinions/2099cs_/{origin}/css/style.css"'.encode() in page
    status, content_type, css = fetch(f"{pywb}/2099cs_/{origin}/css/style.css")
    assert status == 200 and content_type.startswith("text/css")
    assert table_pages.site.handle("/css/style.css").body.split(b"url(")[0] in css
    status, content_type, banner = fetch(f"{pywb}/2099im_/{origin}/images/banner.jpg")
    assert status == 200 and content_type == "image/jpeg" and banner == table_pages.site.handle("/images/banner.jpg").body
