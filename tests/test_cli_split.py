"""`stance split` end to end through the console entry point."""

import json

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_split_writes_sentences_with_offsets(tmp_path, sample_path):
    out, arts = tmp_path / "s.jsonl", tmp_path / "a.jsonl"
    result = runner.invoke(
        app, ["split", str(sample_path("003")), "-o", str(out), "--articles-out", str(arts)]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    (article,) = [json.loads(line) for line in arts.read_text(encoding="utf-8").splitlines()]
    assert set(rows[0]) == {"article_id", "sent_idx", "text", "start", "end"}
    assert [r["sent_idx"] for r in rows] == list(range(9))
    assert all(article["text"][r["start"] : r["end"]] == r["text"] for r in rows)


def test_no_clean_splits_text_as_given(tmp_path, sample_path):
    out = tmp_path / "s.jsonl"
    result = runner.invoke(app, ["split", str(sample_path("003")), "-o", str(out), "--no-clean"])
    assert result.exit_code == 0, result.output
    texts = [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert texts[-1] == "Post a Comment"
    assert (
        texts[0]
        == "MOSKOW - Amerika Serikat (AS)\ndan Rusia tampaknya serius untuk menjajaki kemungkinan melakukan\nkerjasama untuk menyelesaikan konflik yang berlangsung di Suriah."
    )


def test_bad_input_exits_non_zero_and_writes_nothing(tmp_path, sample_path, caplog):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "Baik."}\n{"id": "y"}\n', encoding="utf-8")
    out = tmp_path / "s.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    result = runner.invoke(app, ["split", str(sample_path("000")), str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert f"{bad}:2: record has no 'text'" in caplog.text
    assert out.read_text(encoding="utf-8") == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "s.jsonl"]
