"""Crawls sent to Scrapyd nodes: the least-busy node for each site, its job watched to the end,
and the job's verdict read from the Scrapy stats its log ends with.

Scrapyd runs the deployed egg's `opinions` spider as `scrapy crawl` does (spiders.settings, the
start URL as a spider argument, the archive as the ARCHIVE_DB setting); it says a job has
finished but not how, so the verdict is the one `npc-archive crawl` gives the same stats
(finish reason, failures, `npc/incomplete`, lost writes): crawling.crawl_outcome.
"""

from __future__ import annotations

import ast
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode, urljoin
from urllib.request import urlopen

from . import exit_codes
from .crawling import crawl_outcome

PROJECT = "npc_archive"
SPIDER = "opinions"
HTTP_TIMEOUT = 30.0
# Scrapy's stats are logged at INFO, after "Dumping Scrapy stats:", as a pprint of a dict.
STATS_START = re.compile(r"Dumping Scrapy stats:\n(\{.*?\})\n(?=\d{4}-\d\d-\d\d |\Z)", re.DOTALL)
DATETIME = re.compile(r"datetime\.datetime\([^)]*\)")


class NodeError(Exception):
    """A Scrapyd node that cannot be reached or refuses a request."""


@dataclass(frozen=True)
class Site:
    """What a job crawls: a start URL and the Scrapy settings of its site (politeness, say).
    The site registry gives these for the due sites; `schedule --start-url` one per URL."""

    start_url: str
    settings: dict[str, str] = field(default_factory=dict)


@dataclass
class Job:
    node: str
    id: str
    site: Site
    archive: Path  # the archive the job writes, as a path on the node
    state: str = "pending"  # Scrapyd's: pending, running, finished
    stats: dict = field(default_factory=dict)
    status: int | None = None  # the crawl's exit status, as `npc-archive crawl` would give it
    problem: str = ""


class Node:
    """One Scrapyd node's JSON API."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/") + "/"

    def _call(self, endpoint: str, params: dict | list | None = None, post: bool = False) -> dict:
        query = urlencode(params or {}, doseq=True)
        try:
            if post:
                response = urlopen(urljoin(self.url, endpoint), data=query.encode(), timeout=HTTP_TIMEOUT)
            else:
                response = urlopen(urljoin(self.url, endpoint) + (f"?{query}" if query else ""), timeout=HTTP_TIMEOUT)
            with response:
                answer = json.loads(response.read())
        except (URLError, OSError, ValueError) as error:
            raise NodeError(f"Scrapyd at {self.url}: {getattr(error, 'reason', error)}") from None
        if answer.get("status") != "ok":
            raise NodeError(f"Scrapyd at {self.url}: {endpoint}: {answer.get('message', answer)}")
        return answer

    def busy(self) -> int:
        """Jobs waiting or running on the node (daemonstatus.json)."""
        status = self._call("daemonstatus.json")
        return status["pending"] + status["running"]

    def schedule(self, site: Site, archive: Path, job_id: str, mode: str, project: str = PROJECT) -> None:
        settings = {"LOG_LEVEL": "INFO", **site.settings, "ARCHIVE_DB": str(archive)}
        params = [("project", project), ("spider", SPIDER), ("jobid", job_id), ("start_url", site.start_url), ("mode", mode),
                  *(("setting", f"{name}={value}") for name, value in settings.items())]
        self._call("schedule.json", params, post=True)

    def jobs(self, project: str = PROJECT) -> dict[str, dict]:
        """Every job Scrapyd knows of the project, by id, with its state (listjobs.json)."""
        listed = self._call("listjobs.json", {"project": project})
        return {job["id"]: {**job, "state": state} for state in ("pending", "running", "finished") for job in listed.get(state, [])}

    def text(self, path: str) -> str:
        try:
            with urlopen(urljoin(self.url, path.lstrip("/")), timeout=HTTP_TIMEOUT) as response:
                return response.read().decode("utf-8", "replace")
        except (URLError, OSError) as error:
            raise NodeError(f"Scrapyd at {self.url}: {path}: {getattr(error, 'reason', error)}") from None


def least_busy(nodes: Iterable[Node]) -> Node:
    """The node with the fewest jobs pending and running (the first of those tied)."""
    return min(nodes, key=lambda node: node.busy())


def log_stats(log: str) -> dict:
    """The Scrapy stats a job's log ends with ({} if the job died before dumping them)."""
    found = STATS_START.findall(log)
    if not found:
        return {}
    try:
        return ast.literal_eval(DATETIME.sub(lambda match: repr(match.group(0)), found[-1]))
    except (ValueError, SyntaxError):
        return {}


def judge(job: Job, log: str) -> None:
    """The job's exit status and problem from its log's stats, as `npc-archive crawl` judges a run."""
    job.stats = log_stats(log)
    if not job.stats:
        job.status, job.problem = exit_codes.UNFINISHED, "the job's log has no Scrapy stats: the crawl died before its end"
        return
    job.status, job.problem = crawl_outcome(job.stats)


def run_jobs(node_urls: list[str], sites: list[Site], archives: Path, *, mode: str = "new", project: str = PROJECT,
             poll_interval: float = 1.0, timeout: float = 24 * 3600, say: Callable[[str], None] = print) -> list[Job]:
    """Send one job per site to the least-busy node, each writing an archive of its own in
    ``archives`` (a folder the nodes and this machine share), and wait for them all to finish."""
    nodes = [Node(url) for url in node_urls]
    jobs = []
    for site in sites:
        node = least_busy(nodes)
        job_id = uuid.uuid4().hex
        job = Job(node.url, job_id, site, archives.absolute() / f"{job_id}.db")
        node.schedule(site, job.archive, job_id, mode, project)
        say(f"Scheduled {site.start_url} on {node.url} as job {job_id}")
        jobs.append(job)
    by_node = {node.url: node for node in nodes}
    deadline = time.monotonic() + timeout
    waiting = list(jobs)
    while waiting:
        for url in {job.node for job in waiting}:
            listed = by_node[url].jobs(project)
            for job in [job for job in waiting if job.node == url]:
                job.state = listed.get(job.id, {}).get("state", job.state)
                if job.state == "finished":
                    judge(job, by_node[url].text(listed[job.id].get("log_url") or f"logs/{project}/{SPIDER}/{job.id}.log"))
                    waiting.remove(job)
        if waiting and time.monotonic() > deadline:
            for job in waiting:
                job.status, job.problem = exit_codes.UNFINISHED, f"still {job.state} after {timeout:.0f} s"
            break
        if waiting:
            time.sleep(poll_interval)
    return jobs
