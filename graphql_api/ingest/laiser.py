"""Reader for the O*NET task statements that the ``laiser`` package carries, keyed by title."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from graphql_api.ingest.errors import ReleaseFormatError

__all__ = ["TitledTask", "read_laiser_knowledge", "read_laiser_tasks"]

_NEEDED = ("name", "description", "taxonomy")


@dataclass(frozen=True, slots=True)
class TitledTask:
    """One O*NET task statement as laiser ships it: the occupation's title, not its code."""

    title: str
    text: str


def read_laiser_tasks(data: bytes, *, name: str = "task_taxonomy.csv") -> tuple[TitledTask, ...]:
    """Read laiser's ``task_taxonomy.csv``, keeping the O*NET task rows (``taxonomy=onet_task``).

    Its ``description`` column is ``"<O*NET title> | <task text>"``; the title is what ties a task
    to an occupation, since the file carries no O*NET-SOC code.

    >>> raw = b'name,description,taxonomy,action_verb\\n"Weigh parcels.","Couriers | Weigh parcels.",onet_task,Weigh\\n'
    >>> read_laiser_tasks(raw)
    (TitledTask(title='Couriers', text='Weigh parcels.'),)
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReleaseFormatError(name, None, f"not UTF-8 text: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [column for column in _NEEDED if column not in (reader.fieldnames or ())]
    if missing:
        raise ReleaseFormatError(name, 1, f"missing column(s): {', '.join(missing)}")
    tasks: list[TitledTask] = []
    for row in reader:
        if row.get("taxonomy") != "onet_task":
            continue
        line = reader.line_num
        task = (row.get("name") or "").strip()
        title, sep, rest = (row.get("description") or "").partition(" | ")
        if not sep or not title.strip() or not task:
            raise ReleaseFormatError(name, line, "expected description '<title> | <task>'")
        if rest.strip() != task:
            raise ReleaseFormatError(name, line, "task text differs from its description")
        tasks.append(TitledTask(title.strip(), task))
    return tuple(tasks)


def read_laiser_knowledge(
    data: bytes, *, name: str = "knowledge_taxonomy.csv"
) -> tuple[tuple[str, str, str, str], ...]:
    """Read the 33 O*NET knowledge areas (name and definition) from laiser's knowledge taxonomy.

    Returns (id, name, kind, description) entries, ids ``onet-k:<name slug>``, in file order.
    """
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    missing = [c for c in ("name", "description", "taxonomy") if c not in (reader.fieldnames or ())]
    if missing:
        raise ReleaseFormatError(name, 1, f"missing column(s): {', '.join(missing)}")
    out: list[tuple[str, str, str, str]] = []
    for row in reader:
        if row.get("taxonomy") != "onet_knowledge":
            continue
        title = (row.get("name") or "").strip()
        if not title:
            raise ReleaseFormatError(name, reader.line_num, "knowledge area without a name")
        key = "onet-k:" + title.lower().replace(" ", "-").replace(",", "")
        out.append((key, title, "knowledge", (row.get("description") or "").strip()))
    if not out:
        raise ReleaseFormatError(name, None, "no onet_knowledge rows")
    return tuple(out)
