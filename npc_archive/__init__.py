"""The ``npc-archive`` commands: the one place that wires the parsers, the crawl, the archive
and the replica together (see docs/architecture.md)."""
