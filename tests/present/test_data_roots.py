"""Which folders the dashboard opens, and what it says of the others."""

from analytics.present.data_roots import cannot_open


def test_a_folder_inside_a_root_opens_and_the_others_say_why(tmp_path):
    inside, outside = tmp_path / "root" / "news", tmp_path / "elsewhere"
    inside.mkdir(parents=True)
    outside.mkdir()
    roots = [str(tmp_path / "root")]
    assert cannot_open(str(inside), roots) is None
    assert "does not exist" in cannot_open(str(inside / "missing"), roots)
    refused = cannot_open(str(outside), roots)
    assert refused is not None and "does not exist" not in refused
