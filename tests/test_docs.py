"""The documentation tells the truth, in the manner of sqlite-utils' docs tests: every command
and option has help, and every command shown in the README and the guide runs and prints what
is shown there, once the parts that differ from run to run (ports, times, durations, ids,
UUIDs) are put aside.

Each ```text block of commands (`$ ...` lines, then their output) is preceded by a marker
naming the archive it runs against, `<!-- docs-test: walkthrough -->`, or why it is not run
here, `<!-- docs-test: not run: REASON -->` (a server, an install, a hand-damaged file)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
import pytest

from npc_archive.cli import main
from replica.server import ReplicaServer
from replica.site import Site

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "guide.md"]
MARKER = re.compile(r"<!-- docs-test: (.+?) -->")
NOT_RUN = "not run: "


@dataclass
class Step:
    command: str
    output: list[str] = field(default_factory=list)


@dataclass
class Block:
    doc: str
    line: int
    marker: str | None
    steps: list[Step]

    @property
    def name(self) -> str:
        return f"{self.doc}:{self.line}"


def blocks() -> list[Block]:
    """The ```text blocks of the docs that show commands."""
    found = []
    for doc in DOCS:
        lines = doc.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line != "```text":
                continue
            end = lines.index("```", number + 1)
            marker = MARKER.fullmatch(lines[number - 1]) if number else None
            steps: list[Step] = []
            body = iter(lines[number + 1:end])
            for text in body:
                if text.startswith("$ "):
                    command = text[2:]
                    while command.endswith("\\"):
                        command = command[:-1] + next(body).strip()
                    steps.append(Step(command))
                elif steps:
                    steps[-1].output.append(text)
            for step in steps:  # a blank line between two commands is no output
                while step.output and not step.output[-1].strip():
                    step.output.pop()
            if steps:
                found.append(Block(doc.name, number + 1, marker.group(1) if marker else None, steps))
    return found


BLOCKS = blocks()
RUN = [block for block in BLOCKS if block.marker and not block.marker.startswith(NOT_RUN)]


def test_every_block_of_commands_is_run_or_says_why_not():
    assert [block.name for block in BLOCKS if block.marker is None] == []
    assert len(RUN) >= 20


# Help ---------------------------------------------------------------------------------


def commands() -> list[tuple[str, click.Command]]:
    return sorted((name, main.get_command(None, name)) for name in main.list_commands(None))


@pytest.mark.parametrize(("name", "command"), commands(), ids=[name for name, _ in commands()])
def test_every_command_and_option_has_help(name, command):
    assert command.help and command.short_help != "", name
    missing = [param.name for param in command.params if isinstance(param, click.Option) and not param.help]
    assert missing == [], f"{name}: options without help: {missing}"


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name, command in commands() if not command.hidden and f"npc-archive {name}" not in readme] == []


# The archives the blocks run against ------------------------------------------------


@dataclass
class Place:
    """A folder to run a block's commands in, its environment, and the moment its commands'
    times stand for (the doc's run happened on another day)."""

    folder: Path
    env: dict[str, str]
    moment: datetime | None = None
    port: int | None = None  # of the replica it crawled, for the URLs in the doc's commands


def environment(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("NPC_ARCHIVE_")}
    bin_dir = str(Path(sys.executable).parent)
    return {**env, "PATH": f"{bin_dir}:{env['PATH']}", "PYTHONPATH": str(ROOT), "COLUMNS": "200", **extra}


def crawl(place: Place, server: ReplicaServer, *args: str) -> None:
    subprocess.run(["npc-archive", "crawl", "--start-url", server.start_url, *args], cwd=place.folder, env=place.env,
                   check=True, capture_output=True)


def crawl_started(db: Path, crawl_id: int) -> datetime:
    conn = sqlite3.connect(db)
    try:
        (started,) = conn.execute("SELECT started_at FROM crawls WHERE id = ?", (crawl_id,)).fetchone()
    finally:
        conn.close()
    return datetime.fromisoformat(started.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, Place]:
    made: dict[str, Place] = {}

    def place(name: str) -> Place:
        if name in made:
            return made[name]
        folder = tmp_path_factory.mktemp(name)
        if name == "walkthrough":  # the guide's: two crawls of the replica, in an archive of its own
            made[name] = Place(folder, environment(NPC_ARCHIVE_DB="data/walkthrough/archive.db"))
            with ReplicaServer(Site()) as server:
                crawl(made[name], server)
                crawl(made[name], server, "--mode", "refresh")
            made[name].port = server.httpd.server_address[1]
            made[name].moment = crawl_started(folder / "data/walkthrough/archive.db", 2)
        elif name == "three-crawls":  # the guide's scheduled crawls: the site changes before the third
            made[name] = Place(folder, environment(NPC_ARCHIVE_DB="data/archive.db"))
            site = Site()
            with ReplicaServer(site) as server:
                crawl(made[name], server)
                crawl(made[name], server)
                site.add_opinions(2)
                site.edit_opinion(1040)
                site.remove_opinion(1030, 200)
                crawl(made[name], server, "--mode", "refresh")
            made[name].port = server.httpd.server_address[1]
            made[name].moment = crawl_started(folder / "data/archive.db", 3)
        elif name == "page":  # an article page saved as the server sent it, gzip included
            reply = Site().handle("/ShowArticle.asp?ArticleID=1045", "gzip")
            (folder / "page.html").write_bytes(reply.body)
            made[name] = Place(folder, environment())
        else:  # "demo", which makes its own archive, and "anywhere"
            made[name] = Place(folder, environment())
        return made[name]

    return place


# Running and comparing ----------------------------------------------------------------

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?")
VARIABLE = [
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:PORT"),
    (ISO_TIME, "TIME"),
    (re.compile(r"urn:uuid:[0-9a-f-]{36}"), "urn:uuid:UUID"),
    (re.compile(r"offset \d+"), "offset N"),
    (re.compile(r"\bin \d+\.\d s\b"), "in N s"),
    (re.compile(r"\(([\d,]+) bytes stored\)"), "(N bytes stored)"),
    (re.compile(r'"(id|document_id|snapshot_id|capture_id|section_id)": \d+'), r'"\1": N'),
    (re.compile(r"[ \t]+"), " "),
]


def normal(line: str) -> str:
    for pattern, replacement in VARIABLE:
        line = pattern.sub(replacement, line)
    return line.strip()


def matches(expected: list[str], actual: list[str], options: dict[str, str] | None = None) -> bool:
    """Line by line; a line ending in … matches any line that starts with what is before it.
    Options of the block's marker: ``varies: COLUMN`` puts a table's column aside (bytes stored
    after deltas depend on the order pages arrived in), ``unordered`` compares the rows as a set
    (events of the same second)."""
    options = options or {}
    expected, actual = [normal(line) for line in expected], [normal(line) for line in actual]
    if "varies" in options and expected:
        columns = [expected[0].split(" ").index(name) for name in options["varies"].split(",")]
        expected, actual = ([_without(line, columns) for line in lines] for lines in (expected, actual))
    if "unordered" in options:
        expected, actual = expected[:1] + sorted(expected[1:]), actual[:1] + sorted(actual[1:])
    if len(expected) != len(actual):
        return False
    return all(a == e or (e.endswith("…") and a.startswith(e[:-1].rstrip())) for e, a in zip(expected, actual))


def _without(line: str, columns: list[int]) -> str:
    cells = line.split(" ")
    return " ".join("N" if index in columns else cell for index, cell in enumerate(cells))


def parse_marker(marker: str) -> tuple[str, dict[str, str]]:
    """``walkthrough; varies: bytes_stored; unordered`` -> ("walkthrough", {"varies": "bytes_stored", "unordered": ""})."""
    name, *options = [part.strip() for part in marker.split(";")]
    return name, {key.strip(): value.strip() for key, _, value in (option.partition(":") for option in options)}


def command_line(step: Step, place: Place) -> str:
    """The command as the doc shows it, run from the test's place: the doc's times become the
    same moment of this run (in the doc's own form: UTC or China time)."""
    command = step.command.replace(".venv/bin/", "")
    command = re.sub(r"^make demo$", "npc-archive demo", command)
    if place.port:
        command = re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{place.port}", command)

    def moment(match: re.Match) -> str:
        text = match.group(0)
        if place.moment is None or "T" not in text:
            return text
        if text.endswith("+08:00"):
            return place.moment.astimezone(timezone(timedelta(hours=8))).isoformat(timespec="milliseconds")
        return place.moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    return ISO_TIME.sub(moment, command)


SEPARATOR = "@@ next step @@"


@pytest.mark.parametrize("block", RUN, ids=[block.name for block in RUN])
def test_the_documented_commands_print_what_the_docs_show(block, places):
    name, options = parse_marker(block.marker)
    place = places(name)
    # One shell for the block, so that `echo $?` sees the status of the command before it.
    script = "\n".join(f"{{ {command_line(step, place)}\n}} 2>&1; status=$?; echo '{SEPARATOR}'; (exit $status)"
                       for step in block.steps)
    result = subprocess.run(["bash", "-c", script], cwd=place.folder, env=place.env, capture_output=True, text=True,
                            timeout=300)
    outputs = result.stdout.split(f"{SEPARATOR}\n")
    for step, output in zip(block.steps, outputs):
        shown = output.rstrip("\n").split("\n") if output.strip() else []
        assert matches(step.output, shown, options), f"{block.name}: $ {step.command}\n" + "\n".join(shown)


LAYERS = ("npc_archive", "spiders", "pipelines", "parsers", "archive", "replica")


def test_the_architecture_page_names_every_module_of_every_layer():
    tree = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"^ +([\w/]+\.py) {2,}\S", tree, re.M))
    modules = {path for layer in LAYERS for path in (ROOT / layer).rglob("*.py") if path.name != "__init__.py"}
    assert sorted(str(path.relative_to(ROOT)) for path in modules
                  if path.name not in named and f"{path.parent.name}/{path.name}" not in named) == []
