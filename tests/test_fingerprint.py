import os

from analytics.fingerprint import fingerprint

from conftest import article


def test_fingerprint_changes_with_documents_and_notes_but_not_by_itself(write, tmp_path):
    doc = write("a.md", article(1))
    notes = write("annotations.csv", "date,label\n2026-03-01,Launch\n")
    first = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == first
    notes.write_text("date,label\n2026-03-02,Launch moved\n")
    second = fingerprint(tmp_path)
    assert second != first
    stat = doc.stat()
    doc.write_text(doc.read_text().replace("Story number 1", "Story number 9"))  # same size
    os.utime(doc, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same modification time
    assert fingerprint(tmp_path) != second
