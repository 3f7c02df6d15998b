"""A record's structure as a short outline for the terminal (``npc-archive parse --outline``)."""

from __future__ import annotations

WIDTH = 40


def _short(text: str, width: int = WIDTH) -> str:
    text = text.replace("\n", " / ")
    return text if len(text) <= width else text[:width] + "…"


def outline(record: dict) -> list[str]:
    """Title, each section (kind, lead-in or opening text, numbered items) and the facts."""
    lines = [record["title"]]
    for section in record["sections"]:
        lines.append(f"  {section['kind']:<11} {_short(section['heading'] or section['text'])}")
        for item in section["items"]:
            lines.append(f"{'':14}{item['ordinal']}. {item['heading'] or _short(item['text'], WIDTH - 4)}")
    lines.append("facts")
    lines.extend(f"  {name:<16} {'(not stated)' if value is None else value}" for name, value in record["facts"].items())
    return lines
