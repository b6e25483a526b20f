"""Dates and outlets read from the article itself when the input has none."""

from __future__ import annotations

import pytest

from pipeline.text.articles import Article
from pipeline.text.metadata import date_in_text, outlet_in_dateline
from pipeline.text.segment import segment_article


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("usai bertemu Duta Besar Vietnam, Selasa (12/3/2024).", "2024-03-12"),
        ("(Sabtu (21/5/2016) lalu, kedua menteri bertemu.", "2016-05-21"),
        ("Hari Senin (14/03/2016) negosiasi dimulai.", "2016-03-14"),
        ("Perjanjian diteken pada 6 September 2020 di Jakarta.", "2020-09-06"),
        ("Rapat 1 Agt 2018 ditunda; lalu (2/9/2018).", "2018-08-01"),
        ("Tanggal (31/2/2020) tidak ada.", None),
        ("Tidak ada tanggal di sini.", None),
    ],
)
def test_the_first_valid_date_in_the_text(text, expected):
    assert date_in_text(text) == expected


@pytest.mark.parametrize(
    ("dateline", "outlet"),
    [
        ("BANDUNG, (Warta.id)", "Warta.id"),
        ("SURABAYA, (Kabar Jatim)", "Kabar Jatim"),
        ("Jakarta (ANTARA)", "ANTARA"),
        ("WASHINGTON (Reuters)", "Reuters"),
        ("TEMPO.CO, Jakarta", "TEMPO.CO"),
        ("JAKARTA, KOMPAS.com", "KOMPAS.com"),
        ("Jakarta, CNN Indonesia", "CNN Indonesia"),
        ("MOSKOW", None),
        (None, None),
    ],
)
def test_the_outlet_named_in_a_dateline(dateline, outlet):
    assert outlet_in_dateline(dateline) == outlet


def test_a_txt_article_gets_its_date_and_outlet_and_says_where_from():
    body = "SURABAYA, (Kabar Jatim) - Pemkot menolak tawaran itu, Rabu (12/8/2024).\n\nLain."
    record, _ = segment_article(Article(id="a", text=body, title="Judul"))
    assert (record["date"], record["date_from"]) == ("2024-08-12", "text")
    assert (record["source"], record["source_from"]) == ("Kabar Jatim", "dateline")
    given = Article(id="b", text=body, title="Judul", date="2024-08-13", source="Koran")
    record, _ = segment_article(given)
    assert (record["date"], record["date_from"], record["source"]) == (
        "2024-08-13",
        "input",
        "Koran",
    )
