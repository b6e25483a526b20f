"""Behaviour of the rule-based Indonesian sentence splitter."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Rapat itu dipimpin Dr. Ahmad Yani dan Prof. Budi Santoso di Jakarta.",
        "Bantuan diserahkan oleh H. Sulaiman dan Hj. Aminah kepada warga.",
        "Ir. Joko dan Drs. Hendra hadir bersama Kepala Kec. Menteng dan Kab. Bogor.",
        "Kajian itu ditulis Wahyudi dkk. pada tahun lalu dan dikutip oleh banyak peneliti.",
        "Pameran menampilkan batik, tenun, songket, dll. dari berbagai daerah.",
        "Kantor itu berada di Jl. Merdeka No. 12, hlm. 4 surat itu menyebutkannya.",
        "Dana itu dicairkan s.d. akhir bulan a.n. Sdr. Rudi dan Bpk. Darmawan.",
        "Tn. Hasan dan Ny. Ratna menerima Rp. 5.000.000 dari panitia.",
        "Wakil rektor, Dr. Siti Aminah, M.Si. menyampaikan sambutan bersama Andi, S.H. tadi pagi.",
        "Menteri Luar Negeri AS John F. Kerry bertemu dengan Sergei V. Lavrov di Jenewa.",
        "Sebanyak 3.000 personel dikerahkan dan anggaran naik 27,5 persen tahun ini.",
        "Pertemuan dimulai pukul 10.30 WIB di gedung kementerian.",
        "Kirby berbicara di Washington, Sabtu (21/5/2016), seperti dilansir Reuters.",
        "Informasi lengkap ada di https://www.kemlu.go.id/id/berita.html atau humas@kemlu.go.id hari ini.",
        "Dia menyebut kesepakatan itu… mereka telah berusaha mematuhinya.",
        "Menurutnya, rencana itu... belum tentu berjalan tahun ini.",
        '"Kami siap bekerja sama dengan Rusia," kata Kirby.',
        "“Kami melihat tidak ada indikasi bahwa hal itu akan berlangsung.” Jelas Kirby di Washington.",
        '"Apakah kalian setuju?" tanya Menteri kepada wartawan.',
        "Acara itu dibuka pada 5 Sept. 2016 oleh panitia.",
        "Sekretaris DPW, Muh. Ridwan, dan Brigjen TNI (Purn.) Joko Santosa hadir.",
    ],
)
def test_does_not_split_inside(sentence):
    assert texts(sentence) == [sentence]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Rusia menolak usulan itu. AS menyatakan kecewa.",
            ["Rusia menolak usulan itu.", "AS menyatakan kecewa."],
        ),
        (  # sentence end followed by a closing quote
            '"Kami tidak berkoordinasi dengan Rusia." Pernyataan itu disampaikan Senin.',
            ['"Kami tidak berkoordinasi dengan Rusia."', "Pernyataan itu disampaikan Senin."],
        ),
        (  # opening quote glued to the previous sentence end, as scraped
            'Tidak ada yang telah disepakati."Apa yang kita diskusikan adalah mekanisme," ucap Kirby.',
            [
                "Tidak ada yang telah disepakati.",
                '"Apa yang kita diskusikan adalah mekanisme," ucap Kirby.',
            ],
        ),
        (  # sentence end followed by an opening quote after a space
            "Ia menegaskan sikap itu. “Kami siap,” katanya.",
            ["Ia menegaskan sikap itu.", "“Kami siap,” katanya."],
        ),
        (  # an opening curly quote standing apart (tokenized news): it opens the next sentence
            "Kita harus membangun ketertinggalan. “ Saya kira itu penting ,” katanya.",
            ["Kita harus membangun ketertinggalan.", "“ Saya kira itu penting ,” katanya."],
        ),
        (  # a spaced straight quote may close the last one: no guess
            'Ia pergi. " Kami setuju.',
            ['Ia pergi. " Kami setuju.'],
        ),
        (  # sentence inside brackets
            "(Pertemuan itu berlangsung tertutup.) Hasilnya diumumkan kemudian.",
            ["(Pertemuan itu berlangsung tertutup.)", "Hasilnya diumumkan kemudian."],
        ),
        (  # two sentences inside one quotation
            '"Kami berbagi keprihatinan yang sama. ISIS harus dihentikan," kata Kerry.',
            ['"Kami berbagi keprihatinan yang sama.', 'ISIS harus dihentikan," kata Kerry.'],
        ),
        (
            "Apakah Jakarta akan menerima tawaran itu? Belum ada jawaban! Pemerintah masih menunggu.",
            [
                "Apakah Jakarta akan menerima tawaran itu?",
                "Belum ada jawaban!",
                "Pemerintah masih menunggu.",
            ],
        ),
        (  # an editor's tag after the last sentence
            "Kesepakatan itu berlaku mulai Senin. (ant)",
            ["Kesepakatan itu berlaku mulai Senin.", "(ant)"],
        ),
        (  # a list abbreviation that really ends the sentence
            "Mereka membawa beras, gula, dll. Bantuan tiba Senin.",
            ["Mereka membawa beras, gula, dll.", "Bantuan tiba Senin."],
        ),
        (  # headline without punctuation, then body, split at the blank line
            "AS Tolak Ajakan Rusia\n\nAmerika Serikat menolak tawaran itu.",
            ["AS Tolak Ajakan Rusia", "Amerika Serikat menolak tawaran itu."],
        ),
        (  # a hard wrap inside a sentence is not a boundary
            "Amerika Serikat (AS)\ndan Rusia tampaknya serius.\nPejabat kedua negara bertemu.",
            ["Amerika Serikat (AS)\ndan Rusia tampaknya serius.", "Pejabat kedua negara bertemu."],
        ),
    ],
)
def test_splits_at_sentence_ends(text, expected):
    assert texts(text) == expected


def test_offsets_point_into_the_text():
    text = "  Rusia siap.   AS menolak.\n\nTurki netral.  "
    sents = split_sentences(text)
    assert [(s.start, s.end) for s in sents] == [(2, 13), (16, 27), (29, 42)]
    assert all(text[s.start : s.end] == s.text for s in sents)


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab AZ.?!\"“”'()[]…\n\t,:-19")), max_size=80) | st.text()
)
def test_properties_hold_for_any_string(text):
    sents = split_sentences(text)
    last_end = 0
    for s in sents:
        assert s.text and s.text == s.text.strip()
        assert text[s.start : s.end] == s.text
        assert s.start >= last_end
        last_end = s.end
    # nothing but whitespace is lost between sentences
    assert "".join("".join(s.text.split()) for s in sents) == "".join(text.split())
