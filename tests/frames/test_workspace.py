from conftest import article, document_text

from analytics import schema as s
from analytics.frames.stories import STORY_ID
from analytics.frames.workspace import open_workspace


def test_workspace_groups_stories_and_reads_notes(write, tmp_path):
    write("a.md", article(1, title="Chipmakers bet on edge devices"))
    write("b.md", article(2, title="Chipmakers bet on edge devices", webUrl="https://other.test/x"))
    write("c.md", article(20, title="Something else entirely happened"))
    write("annotations.csv", "date,label,topic\n2026-03-01,Launch week,\nnot-a-date,Broken,\n")
    ws = open_workspace(tmp_path, cache=False)
    assert ws.corpus.loaded == 3 and ws.corpus.ignored == 1
    stories = ws.story_map.set_index(s.DOC_ID)[STORY_ID]
    ids = ws.corpus.articles.set_index(s.PATH)[s.DOC_ID]
    assert stories[ids[str(tmp_path / "a.md")]] == stories[ids[str(tmp_path / "b.md")]]
    assert stories[ids[str(tmp_path / "c.md")]] != stories[ids[str(tmp_path / "a.md")]]
    assert ws.notes["label"].tolist() == ["Launch week"]
    assert len(ws.note_problems) == 1 and ws.note_problems[s.LINE].iloc[0] == 3


def test_workspace_of_a_single_file_has_no_notes(write, tmp_path):
    path = write("a.md", article(1))
    ws = open_workspace(path, cache=False)
    assert ws.notes.empty and ws.note_problems.empty


def test_refused_uploads_that_share_a_name_are_each_counted():
    import io
    import zipfile

    from analytics.frames.workspace import open_uploads

    big = b"---\ntitle: big\n---\n" + b"x" * (9 * 1024 * 1024)
    corpus = open_uploads([("big.md", big), ("big.md", big), ("ok.md", document_text(article(1)).encode())]).corpus
    assert corpus.files_seen == 3 and corpus.loaded == 1 and corpus.skipped == 2
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(3):
            archive.writestr(f"big-{n}.md", big)  # each past the file limit
    twice = open_uploads([("feed.zip", buffer.getvalue()), ("feed.zip", buffer.getvalue())]).corpus
    assert twice.files_seen == twice.skipped == 6
    assert len(set(twice.problems[s.PATH])) == 6
