"""Reading articles in every supported format, and clear errors for bad input."""

import json

import pytest

from pipeline.text.articles import InputError, read_articles


def test_txt_first_non_empty_line_is_title(tmp_path):
    (tmp_path / "a1.txt").write_text("\n\nJudul Berita\nIsi berita pertama.\n", encoding="utf-8")
    (article,) = read_articles(tmp_path / "a1.txt")
    assert (article.id, article.title, article.text.strip()) == (
        "a1",
        "Judul Berita",
        "Isi berita pertama.",
    )


def test_encodings_and_line_endings(tmp_path):
    text = "Judul Kafé\r\nMenteri menyambut baik kerja sama – kata dia.\r\n"
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "win.txt").write_bytes(text.encode("cp1252"))
    arts = read_articles(tmp_path)
    assert [a.id for a in arts] == ["bom", "win"]
    assert arts[0].title == arts[1].title == "Judul Kafé"
    assert arts[0].text == arts[1].text == "Menteri menyambut baik kerja sama – kata dia.\n"


def test_jsonl_and_csv(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "7", "text": "Isi.", "title": "T", "date": "2016-05-21", "source": "X"})
        + "\n\n",
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text('id,text,source\nb1,"Isi, dengan koma.",Y\n', encoding="utf-8")
    a, b = read_articles(tmp_path / "a.jsonl", tmp_path / "b.csv")
    assert (a.id, a.title, a.date, a.source) == ("7", "T", "2016-05-21", "X")
    assert (b.id, b.text, b.source, b.title) == ("b1", "Isi, dengan koma.", "Y", None)


@pytest.mark.parametrize(
    ("name", "content", "line", "message"),
    [
        ("empty.txt", b"  \n\n", None, "file is empty"),
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", None, "binary"),
        ("bad.jsonl", b'{"id": "a", "text": "ok"}\n{"id": "b", "text": \n', 2, "not valid JSON"),
        ("notext.jsonl", b'{"id": "a", "text": "ok"}\n{"id": "b"}\n', 2, "no 'text'"),
        ("noid.jsonl", b'{"text": "ok"}\n', 1, "no 'id'"),
        ("cols.csv", b"id,body\na,hello\n", 1, "no 'text' column"),
        (
            "dup.jsonl",
            b'{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n',
            2,
            "duplicate id 'a'",
        ),
    ],
)
def test_bad_input_names_file_line_and_fix(tmp_path, name, content, line, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_articles(path)
    assert err.value.path == str(path)
    assert err.value.line == line
    assert message in str(err.value)
    assert "Fix:" in str(err.value)


def test_missing_path_and_unsupported_type(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_articles(tmp_path / "nope.txt")
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unsupported"):
        read_articles(tmp_path / "x.pdf")
