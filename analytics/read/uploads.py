"""Uploads: document files and .zip archives someone hands over, unpacked into a private folder.

Pure Python (no streamlit): the dashboard passes each upload's name and bytes and loads the
folder that comes back. Nothing outside that fresh folder is ever written; every upload or
archive entry that is refused (too large, a zip bomb, a path that tries to leave the folder,
a symbolic link, damaged) becomes a `Problem`, and everything else is still unpacked.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from analytics.read.ingest import Problem
from analytics.read.names import shown_name
from analytics.schema import ERROR, LoadOptions

# Entries smaller than this cannot hurt, however well they compress (a page of spaces does).
_RATIO_FLOOR = 64 * 1024
_MAX_DEPTH = 32
_MAX_NAME_BYTES = 255
_CHUNK = 64 * 1024
_CENTRAL_ENTRY = b"PK\x01\x02"
_ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".zst", ".7z", ".rar")
_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class Extraction:
    """The private folder the accepted uploads were written to, and every upload or entry refused.

    The folder is the caller's to load and then remove (`shutil.rmtree(extraction.folder)`).
    Refused entries never reach the folder, so loading it does not count them again.
    """

    folder: Path
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    bytes: int = 0

    def refuse(self, path: str, message: str) -> None:
        """Note one refused upload or entry under a name no other refusal has.

        Each refusal is one file seen and skipped; two uploads called `big.md` are two files,
        so the second is named `big.md (2)` rather than folded into the first.
        """
        shown = base = shown_name(path)
        taken = {problem.path for problem in self.problems}
        number = 1
        while shown in taken:
            number += 1
            shown = f"{base} ({number})"
        self.problems.append(Problem(shown, ERROR, message))


def extract_uploads(
    uploads: Iterable[tuple[str, bytes]], options: LoadOptions = LoadOptions(), *, parent: str | os.PathLike[str] | None = None
) -> Extraction:
    """Write uploaded files, and the contents of uploaded `.zip` archives, into a new private folder.

    Each archive is unpacked into a subfolder named after it. The folder is created with
    `tempfile.mkdtemp` (readable by this user only) inside `parent` or the system's temp folder.
    """
    result = Extraction(Path(tempfile.mkdtemp(prefix="news-upload-", dir=parent)))
    for name, data in uploads:
        if len(data) > options.max_upload_bytes:
            limit = _size(options.max_upload_bytes)
            result.refuse(name, f"upload is {_size(len(data))}, larger than the {limit} limit; not unpacked")
        elif name.lower().endswith(".zip"):
            _extract_archive(name, data, result, options)
        else:
            _write_upload(name, data, result, options)
    return result


def _write_upload(name: str, data: bytes, result: Extraction, options: LoadOptions) -> None:
    parts, reason = _safe_parts(name)
    if reason is None:
        reason = _check_budget(result, len(data), options) or _write(result.folder, parts, [data], len(data), options)
    if reason is None:
        _count(result, len(data))
    else:
        result.refuse(name, reason)


def _extract_archive(name: str, data: bytes, result: Extraction, options: LoadOptions) -> None:
    # Counting the central directory's entries first keeps zipfile from building millions of
    # entries in memory; only that directory is counted, so a document or an inner archive
    # holding the same bytes does not make its archive look larger than it is.
    if _entry_count(data) > options.max_archive_files:
        result.refuse(name, f"archive holds more than {options.max_archive_files:,} files; not unpacked")
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        result.refuse(name, f"not a readable .zip archive ({error}); not unpacked")
        return
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        declared = sum(info.file_size for info in entries)
        if len(entries) + result.files > options.max_archive_files or declared + result.bytes > options.max_archive_bytes:
            limits = f"{options.max_archive_files:,} files, {_size(options.max_archive_bytes)}"
            reason = f"archive would unpack to {len(entries):,} files and {_size(declared)}, past the limits ({limits}); not unpacked"
            result.refuse(name, reason)
            return
        target = _subfolder(result.folder, name)
        for info in entries:
            reason = _extract_entry(archive, info, target, result, options)
            if reason is not None:
                result.refuse(f"{name}/{info.filename}", reason)


def _entry_count(data: bytes) -> int:
    """At most how many entries zipfile will read from the archive's central directory (0: no directory found)."""
    try:
        end = zipfile._EndRecData(io.BytesIO(data))  # the record zipfile itself starts from
    except (OSError, ValueError, struct.error):
        return 0
    if end is None:
        return 0
    stop = end[zipfile._ECD_LOCATION]
    if end[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:
        stop -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator
    return data.count(_CENTRAL_ENTRY, max(0, stop - end[zipfile._ECD_SIZE]), max(0, stop))


def _extract_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, result: Extraction, options: LoadOptions) -> str | None:
    """Unpack one archive entry below `target`, or say why it was refused."""
    parts, reason = _safe_parts(info.filename)
    if reason is not None:
        return reason
    if parts[-1].lower().endswith(_ARCHIVE_SUFFIXES):
        return "entry is itself an archive; archives inside archives are not unpacked (upload it on its own)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "entry is a symbolic link; links are not unpacked"
    if info.flag_bits & 0x1:
        return "entry is encrypted; not unpacked"
    if info.file_size > _RATIO_FLOOR and info.file_size > options.max_compression_ratio * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        return f"entry expands {ratio:,.0f} times, more than the {options.max_compression_ratio}x limit (a zip bomb?); not unpacked"
    limit = min(options.max_file_bytes, info.file_size, options.max_archive_bytes - result.bytes)
    reason = _check_budget(result, info.file_size, options)
    if reason is not None:
        return reason
    try:
        with archive.open(info) as source:
            chunks = iter(lambda: source.read(_CHUNK), b"")
            reason = _write(target, parts, chunks, limit, options, packed=info.compress_size)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError) as error:
        return f"entry is damaged or uses an unsupported format ({error}); not unpacked"
    if reason is None:
        _count(result, info.file_size)
    return reason


def _check_budget(result: Extraction, size: int, options: LoadOptions) -> str | None:
    if size > options.max_file_bytes:
        return f"file is {_size(size)}, larger than the {_size(options.max_file_bytes)} limit; not unpacked"
    if result.files + 1 > options.max_archive_files:
        return f"uploads already hold {options.max_archive_files:,} files, the limit; not unpacked"
    if result.bytes + size > options.max_archive_bytes:
        return f"uploads would pass the {_size(options.max_archive_bytes)} limit; not unpacked"
    return None


def _write(root: Path, parts: list[str], chunks: Iterable[bytes], limit: int, options: LoadOptions, packed: int | None = None) -> str | None:
    """Write the chunks to root/parts as a new private file, stopping past `limit` bytes."""
    path = root.joinpath(*parts)
    if not path.resolve().is_relative_to(root.resolve()):  # a second guard behind _safe_parts
        return "path leads outside the upload folder; not unpacked"
    ceiling = limit if packed is None else min(limit, max(_RATIO_FLOOR, packed * options.max_compression_ratio))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError:
        return "a file of the same name was already unpacked; this copy was not"
    except OSError as error:
        return f"could not be written ({error.strerror or error}); not unpacked"
    written, complete = 0, False
    try:
        with os.fdopen(descriptor, "wb") as sink:
            for chunk in chunks:
                written += len(chunk)
                if written > ceiling:  # more bytes than the entry declared, or than any limit allows
                    break
                sink.write(chunk)
            else:
                complete = True
    finally:
        if not complete:  # never leave half a file behind for the loader to find
            path.unlink(missing_ok=True)
    return None if complete else f"entry unpacks to more than {_size(ceiling)} (its declared size or a limit); not unpacked"


def _safe_parts(name: str) -> tuple[list[str], str | None]:
    """The path components an upload or entry name may be written to, or why it may not."""
    if _UNSAFE_CHARS.search(name):
        return [], "name holds control characters; not unpacked"
    text = name.replace("\\", "/")
    if text.startswith("/") or _DRIVE.match(text):
        return [], "absolute path; only paths inside the archive are unpacked"
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        return [], "path tries to leave the archive's folder ('..'); not unpacked"
    if not parts:
        return [], "empty name; not unpacked"
    if len(parts) > _MAX_DEPTH or any(len(part.encode("utf-8", "surrogatepass")) > _MAX_NAME_BYTES for part in parts):
        return [], "path is too deep or a name too long; not unpacked"
    return parts, None


def _subfolder(root: Path, archive_name: str) -> Path:
    """A new folder for one archive's contents, named after the archive."""
    parts, _ = _safe_parts(archive_name)
    stem = (Path(parts[-1]).stem if parts else "").lstrip(".") or "archive"  # a hidden folder would not load
    candidate, number = root / stem, 1
    while candidate.exists():
        number += 1
        candidate = root / f"{stem}-{number}"
    return candidate


def _count(result: Extraction, size: int) -> None:
    result.files += 1
    result.bytes += size


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size:,} bytes"
