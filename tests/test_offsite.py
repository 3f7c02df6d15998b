"""The crawl fetches http(s) on the site's own hosts only: links to local files, other
protocols and other hosts are recorded refusals, never fetched."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from replica.server import ReplicaServer
from replica.site import Reply, Site
from spiders import settings
from spiders.failures import Refused
from spiders.middlewares import SiteHostsOnly

# 127.0.0.3 is loopback, but not the start URL's host: it stands for an intranet server or a
# cloud metadata address that a page's link must not make the crawler read.
INTRANET = "127.0.0.3"


@dataclass
class HostileSite(Site):
    """The replica, with article 1042's links replaced: ``links`` maps each healthy link to a hostile one."""

    links: dict[bytes, bytes] = field(default_factory=dict)

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        if target != "/ShowArticle.asp?ArticleID=1042":
            return super().handle(target, accept_encoding)
        reply = super().handle(target)  # not gzipped: its links are rewritten
        for healthy, hostile in self.links.items():
            reply.body = reply.body.replace(healthy, hostile)
        return reply


@pytest.fixture
def hostile_links(tmp_path):
    """A replica whose article 1042 links a local secret file and an intranet attachment, and
    loads its counter script from a local file."""
    secret = tmp_path / "secret.txt"
    secret.write_text("db_password=hunter2\n")
    counter = tmp_path / "count.js"
    counter.write_text("document.write('777');")
    site = HostileSite()
    with ReplicaServer(site) as server, ReplicaServer(Site(), host=INTRANET) as intranet:
        site.links = {
            b'href="/UploadFiles/202210/1042_1.docx"': f'href="{secret.as_uri()}"'.encode(),
            b'href="/UploadFiles/202210/1042_2.pdf"': f'href="{intranet.base_url}/UploadFiles/202210/1042_2.pdf"'.encode(),
            b'src="/count.asp?id=1042"': f'src="{counter.as_uri()}"'.encode(),
        }
        yield server, intranet, secret, counter


def test_local_files_other_hosts_and_their_counters_are_refused_and_recorded(tmp_path, hostile_links, crawl, npc_archive, query):
    server, intranet, secret, counter = hostile_links
    db = tmp_path / "a.db"
    result = crawl(db, server, check=False)
    failures = json.loads(npc_archive("failures", "--db", str(db), "--format", "json").stdout)
    assert result.returncode == 1, result.stderr
    assert sorted((row["url"], row["page_kind"], row["reason"]) for row in failures) == sorted([
        (secret.as_uri(), "attachment", "scheme_refused"),
        (f"{intranet.base_url}/UploadFiles/202210/1042_2.pdf", "attachment", "offsite"),
        (counter.as_uri(), "counter", "scheme_refused"),
    ])
    assert intranet.sent == []  # not even its robots.txt
    stored = query(db, "SELECT url FROM snapshots WHERE url NOT LIKE ?", server.base_url + "/%")
    assert stored == []
    secrets = query(db, "SELECT count(*) FROM blobs WHERE instr(data, ?) > 0", b"hunter2")
    assert secrets == [(0,)]
    # The document itself is archived, without the count the local script would have given.
    assert query(db, "SELECT view_count, view_count_url FROM documents WHERE url = ?",
                 server.base_url + "/ShowArticle.asp?ArticleID=1042") == [(None, counter.as_uri())]
    assert query(db, "SELECT count(*) FROM documents") == [(len(server.site.opinions()),)]


def test_an_allowed_host_is_fetched(tmp_path, hostile_links, crawl, npc_archive, query):
    server, intranet, _, _ = hostile_links
    db = tmp_path / "a.db"
    crawl(db, server, "--allow-host", INTRANET, check=False)
    pdf = f"{intranet.base_url}/UploadFiles/202210/1042_2.pdf"
    assert [path for path, _ in intranet.sent] == ["/robots.txt", "/UploadFiles/202210/1042_2.pdf"]
    assert query(db, "SELECT count(*) FROM document_files f JOIN snapshots s ON s.id = f.capture_id "
                     "WHERE f.url = ? AND s.status = 200", pdf) == [(1,)]


def test_without_the_middleware_the_disabled_download_handlers_still_read_no_local_file(tmp_path, hostile_links, crawl, npc_archive, query):
    server, _, secret, counter = hostile_links
    db = tmp_path / "a.db"
    middlewares = {**settings.DOWNLOADER_MIDDLEWARES, "spiders.middlewares.SiteHostsOnly": None}
    crawl(db, server, "-s", f"DOWNLOADER_MIDDLEWARES={json.dumps(middlewares)}", check=False)
    refused = query(db, "SELECT url, reason FROM failures WHERE url LIKE 'file:%' ORDER BY url")
    assert refused == sorted([(secret.as_uri(), "NotSupported"), (counter.as_uri(), "NotSupported")])
    assert query(db, "SELECT count(*) FROM blobs WHERE instr(data, ?) > 0", b"hunter2") == [(0,)]


@pytest.mark.parametrize("host", ["", " ", "http://cdn.example.cn", "cdn.example.cn/files", "cdn.example.cn:8080"])
def test_an_allow_host_that_is_not_a_host_name_is_a_usage_error(tmp_path, cli, host):
    db = tmp_path / "a.db"
    result = cli("crawl", "--db", db, "--start-url", "http://127.0.0.1:9/list.asp?ClassID=5", "--allow-host", host, check=False)
    assert result.returncode == 2
    assert "is not a host name" in result.output
    assert "Traceback" not in result.output
    assert not db.exists()


@pytest.mark.parametrize("column_host, twin", [("jjrd.gov.cn", "www.jjrd.gov.cn"), ("www.jjrd.gov.cn", "jjrd.gov.cn")])
def test_a_column_hosts_www_twin_is_the_site_and_shares_its_pace(column_host, twin):
    """A site's pages link it by either name (the list on jjrd.gov.cn, its articles on
    www.jjrd.gov.cn): fetched, in the column host's download slot, not a second one."""
    hosts = SiteHostsOnly.from_crawler(get_crawler(settings_dict={"START_URL": f"http://{column_host}/list.asp?ClassID=5"}))
    linked, own = Request(f"http://{twin}/ShowArticle.asp?ArticleID=1042"), Request(f"http://{column_host}/ShowArticle.asp?ArticleID=1042")
    assert hosts.process_request(linked) is None and linked.meta["download_slot"] == column_host
    assert hosts.process_request(own) is None and "download_slot" not in own.meta
    with pytest.raises(Refused, match="not one of the site's hosts"):
        hosts.process_request(Request("http://rd.jjrd.gov.cn/ShowArticle.asp?ArticleID=1042"))


def test_an_address_has_no_www_twin():
    hosts = SiteHostsOnly.from_crawler(get_crawler(settings_dict={"START_URL": "http://127.0.0.1:8000/list.asp?ClassID=5"}))
    assert hosts.hosts == {"127.0.0.1"}
