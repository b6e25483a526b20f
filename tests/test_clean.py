"""Cleaning scraped articles: debris, repeats, wraps, datelines, offsets."""

from pipeline.text.clean import clean_article
from pipeline.text.sentences import split_sentences

BODY = """A
A
A
MOSKOW - Rusia mengusulkan operasi bersama di Suriah. Usulan itu dikirim Senin.
(Baca juga: Rusia Ajak AS Lakukan Operasi Bersama di Suriah)
AS belum menjawab usulan tersebut.
Rusia mengusulkan operasi bersama di Suriah. Usulan itu dikirim Senin.
Sumber: http://international.example.com
Leave a Comment: Prohibited To Perform Spam
Comments
Copyright © 2016 - Example.net
0 Response to "Rusia Ajak AS"
Post a Comment
To Top
(ian)"""


def test_drops_debris_and_repeated_paragraphs():
    cleaned = clean_article(BODY, title="Rusia Ajak AS Gelar Operasi Bersama")
    assert cleaned.text == (
        "Rusia Ajak AS Gelar Operasi Bersama\n\n"
        "Rusia mengusulkan operasi bersama di Suriah. Usulan itu dikirim Senin.\n\n"
        "AS belum menjawab usulan tersebut."
    )
    assert cleaned.title == "Rusia Ajak AS Gelar Operasi Bersama"
    assert cleaned.dateline == "MOSKOW"


def test_keeps_dateline_out_of_text_and_records_it():
    cleaned = clean_article(
        "body line", title="WASHINGTON, (Panjimas.com) – Tidak ada rencana kerja sama."
    )
    assert cleaned.dateline == "WASHINGTON, (Panjimas.com)"
    assert cleaned.title is None
    assert cleaned.text.startswith("Tidak ada rencana kerja sama.")


def test_other_dateline_styles():
    for raw, dateline in [
        ("JAKARTA, KOMPAS.com - Pemerintah siap.", "JAKARTA, KOMPAS.com"),
        ("Jakarta (ANTARA) - Pemerintah siap.", "Jakarta (ANTARA)"),
        ("TEMPO.CO, Jakarta - Pemerintah siap.", "TEMPO.CO, Jakarta"),
    ]:
        cleaned = clean_article(raw, title="Judul Berita Hari Ini")
        assert (cleaned.dateline, cleaned.text) == (
            dateline,
            "Judul Berita Hari Ini\n\nPemerintah siap.",
        )


def test_rejoins_hard_wrapped_lines():
    body = "Amerika Serikat (AS)\ndan Rusia serius menjajaki\nkerja sama di Suriah.\nPejabat kedua negara bertemu."
    cleaned = clean_article(body, title="Judul")
    assert cleaned.text.split("\n\n") == [
        "Judul",
        "Amerika Serikat (AS) dan Rusia serius menjajaki kerja sama di Suriah.",
        "Pejabat kedua negara bertemu.",
    ]


def test_rubric_line_is_not_the_title():
    body = "\nRusia Menolak Permintaan AS\n\nRusia mengatakan akan terus melakukan pemboman.\n"
    cleaned = clean_article(body, title="Internasional")
    assert cleaned.title == "Rusia Menolak Permintaan AS"


def test_photo_caption_and_trailing_initials_removed():
    body = (
        "File photo of Obama meeting Putin. REUTERS/Jason Reed/Files (MEXICO - Tags: POLITICS)\n"
        "Rusia menolak tuntutan AS.\nPelanggaran tercatat 477 kali. [IZ]"
    )
    cleaned = clean_article(body, title="Judul")
    assert cleaned.text == "Judul\n\nRusia menolak tuntutan AS.\n\nPelanggaran tercatat 477 kali."


def test_non_breaking_spaces_become_spaces_and_offsets_hold():
    cleaned = clean_article(
        "Peskov berbicara di Suriah.\u00a0 Dia juga\u00a0mendesak Washington.", title="Judul"
    )
    assert "\u00a0" not in cleaned.text
    sents = split_sentences(cleaned.text)
    assert [s.text for s in sents] == [
        "Judul",
        "Peskov berbicara di Suriah.",
        "Dia juga mendesak Washington.",
    ]
    assert all(cleaned.text[s.start : s.end] == s.text for s in sents)


def test_datelines_with_outlet_names():
    for raw, dateline in [
        ("WASHINGTON (Reuters) - Pentagon menolak.", "WASHINGTON (Reuters)"),
        ("Jakarta, CNBC Indonesia - Pentagon menolak.", "Jakarta, CNBC Indonesia"),
        ("Jakarta, Liputan6.com - Pentagon menolak.", "Jakarta, Liputan6.com"),
    ]:
        cleaned = clean_article(raw, title="Judul")
        assert (cleaned.dateline, cleaned.text) == (dateline, "Judul\n\nPentagon menolak.")


def test_sentence_that_merely_contains_a_dash_keeps_its_start():
    cleaned = clean_article("Rusia - seperti biasa - menolak usulan itu.", title="Judul")
    assert cleaned.dateline is None
    assert cleaned.text.endswith("Rusia - seperti biasa - menolak usulan itu.")
