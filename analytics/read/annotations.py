"""Annotations: the small file of dated notes editors keep beside their data.

`annotations.csv` (columns `date, label[, topic]`) or `annotations.yaml`/`.yml` (a list of
`{date, label, topic}` mappings). Document loading ignores these files by their suffix; here
they are read on their own, and a bad row is a `Problem` with its line, never an exception.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import yaml

from analytics import schema as s
from analytics.read.ingest import Problem, decode_bytes

DATE = "date"
LABEL = "label"
TOPIC = s.TOPIC
COLUMNS = (DATE, LABEL, TOPIC)
REQUIRED = (DATE, LABEL)
FILE_NAMES = ("annotations.csv", "annotations.yaml", "annotations.yml")
MAX_BYTES = 1024 * 1024

ANNOTATION_DTYPES: dict[str, object] = {DATE: s.TIMESTAMP, LABEL: s.STRING, TOPIC: s.STRING}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "timestamp"))


def annotation_files(folder_or_file: str | os.PathLike[str]) -> list[Path]:
    """The annotation files a folder holds at its top level (names matched case-insensitively), or the file itself."""
    path = Path(folder_or_file)
    if not path.is_dir():
        return [path]
    wanted = {name: index for index, name in enumerate(FILE_NAMES)}
    found = [child for child in path.iterdir() if child.name.lower() in wanted and child.is_file()]
    return sorted(found, key=lambda child: wanted[child.name.lower()])


def read_annotations(folder_or_file: str | os.PathLike[str]) -> tuple[pd.DataFrame, list[Problem]]:
    """The notes in a folder's annotation files (or one file), by date, and every problem found.

    Frame columns: `date` (UTC midnight for a plain date), `label`, `topic` (NA: every topic).
    A folder without an annotation file gives an empty frame and no problems.
    """
    rows: list[tuple[datetime, str, str | None]] = []
    problems: list[Problem] = []
    for path in annotation_files(folder_or_file):
        found, trouble = _read_file(path)
        rows.extend(found)
        problems.extend(trouble)
    frame = s.typed_frame({column: [row[i] for row in rows] for i, column in enumerate(COLUMNS)}, ANNOTATION_DTYPES)
    return frame.sort_values(DATE, kind="stable").reset_index(drop=True), problems


def _read_file(path: Path) -> tuple[list[tuple[datetime, str, str | None]], list[Problem]]:
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        return [], [Problem(name, s.ERROR, "annotations must be a .csv, .yaml or .yml file")]
    try:
        if path.stat().st_size > MAX_BYTES:
            return [], [Problem(name, s.ERROR, f"annotations file is larger than {MAX_BYTES // 1024} KB; not read")]
        data = path.read_bytes()
    except OSError as error:
        return [], [Problem(name, s.ERROR, f"annotations file could not be read: {error.strerror or error}")]
    text, problems = decode_bytes(name, data)
    if text is None:
        return [], problems
    reader = _read_csv if suffix == ".csv" else _read_yaml
    rows, found = reader(name, text)
    return rows, problems + found


def _read_csv(name: str, text: str) -> tuple[list[tuple[datetime, str, str | None]], list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[datetime, str, str | None]] = []
    problems: list[Problem] = []
    header: list[str] | None = None
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in record]
                problems += _column_problems(name, header, reader.line_num)
                if any(column not in header for column in REQUIRED):
                    return [], problems
                continue
            if len(record) > len(header):
                problems.append(Problem(name, s.WARNING, f"row has {len(record)} values but the header names {len(header)}; the extra values are ignored", line=reader.line_num))
            values = {column: record[i] if i < len(record) else "" for i, column in enumerate(header)}
            rows += _note(name, values, reader.line_num, problems)
    except csv.Error as error:
        problems.append(Problem(name, s.ERROR, f"annotations file is not valid CSV: {error}; rows after this line are not read", line=reader.line_num))
    return rows, problems


def _column_problems(name: str, header: list[str], line: int) -> list[Problem]:
    problems = [
        Problem(name, s.ERROR, f"the header has no {column!r} column; no notes are read from this file (expected: {', '.join(COLUMNS)})", field=column, line=line)
        for column in REQUIRED
        if column not in header
    ]
    problems += [
        Problem(name, s.WARNING, f"unknown column {column!r} is ignored (expected: {', '.join(COLUMNS)})", field=column, line=line)
        for column in header
        if column not in COLUMNS
    ]
    return problems


def _read_yaml(name: str, text: str) -> tuple[list[tuple[datetime, str, str | None]], list[Problem]]:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        return [], [Problem(name, s.ERROR, f"annotations file is not valid YAML: {error.problem or error}", line=line)]
    except (yaml.YAMLError, RecursionError) as error:
        return [], [Problem(name, s.ERROR, f"annotations file is not valid YAML: {type(error).__name__}")]
    if root is None:
        return [], []
    if isinstance(root, yaml.MappingNode) and [key.value for key, _ in root.value] == ["annotations"]:
        root = root.value[0][1]
    if not isinstance(root, yaml.SequenceNode):
        shape = "expected a list of notes, each with a date and a label (optionally under `annotations:`)"
        return [], [Problem(name, s.ERROR, f"annotations file has the wrong shape: {shape}", line=root.start_mark.line + 1)]
    rows: list[tuple[datetime, str, str | None]] = []
    problems: list[Problem] = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(name, s.ERROR, "a note must be a mapping with a date and a label; this one is skipped", line=line))
            continue
        rows += _note(name, _yaml_values(name, item, problems), line, problems)
    return rows, problems


def _yaml_values(name: str, item: yaml.MappingNode, problems: list[Problem]) -> dict[str, str]:
    """The note's scalar values by key, with a problem for unknown keys and non-text values."""
    values: dict[str, str] = {}
    for key, value in item.value:
        field, line = str(key.value).strip().lower(), key.start_mark.line + 1
        if field not in COLUMNS:
            problems.append(Problem(name, s.WARNING, f"unknown key {field!r} is ignored (expected: {', '.join(COLUMNS)})", field=field, line=line))
        elif not isinstance(value, yaml.ScalarNode):
            problems.append(Problem(name, s.WARNING, f"{field} should be a single value, not a list or mapping; it is ignored", field=field, line=line))
        else:
            if field in values:
                problems.append(Problem(name, s.WARNING, f"{field} is given twice in one note; the last one is used", field=field, line=line))
            if value.tag not in _PLAIN_TAGS:
                problems.append(Problem(name, s.WARNING, f"the YAML tag {value.tag!r} is ignored; the value is read as text", field=field, line=line))
            values[field] = "" if value.tag == _NULL else str(value.value)
    return values


def _note(name: str, values: dict[str, str], line: int, problems: list[Problem]) -> list[tuple[datetime, str, str | None]]:
    """The note as a one-item list, or an empty list with an error when its date or label is unusable."""
    raw_date, label, topic = (values.get(column, "").strip() for column in COLUMNS)
    when = _parse_date(raw_date)
    if when is None:
        what = f"date {raw_date!r} is not a date" if raw_date else "date is missing"
        problems.append(Problem(name, s.ERROR, f"{what} (write YYYY-MM-DD); this note is skipped", field=DATE, line=line))
        return []
    if not label:
        problems.append(Problem(name, s.ERROR, "label is missing; this note is skipped", field=LABEL, line=line))
        return []
    return [(when, label, topic or None)]


def _parse_date(text: str) -> datetime | None:
    """An ISO 8601 date or date-time in UTC (a plain date is midnight UTC), else None."""
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
    if when is None:
        return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
