"""The five sample articles split into the sentences a careful reader would mark."""

import pytest

from pipeline.text.articles import read_txt
from pipeline.text.segment import segment_article

EXPECTED = {
    "000": (
        9,
        "MOSKOW",
        {
            0: "AS Tolak Ajakan Rusia Gelar Operasi Bersama di Suriah",
            1: "Amerika Serikat (AS) menolak tawaran Rusia untuk melakukan operasi bersama di Suriah "
            "untuk memerangi ISIS dan sayap kelompok teroris Al-Qaeda, Front al-Nusra.",
            5: "Penolakan ini dipertegas oleh juru bicara Departemen Luar Negeri AS, John Kirby, "
            "dengan mengatakan tidak ada yang telah disepakati.",
            6: '"Apa yang kita diskusikan dengan rekan-rekan kami dari Rusia, usulan mekanisme '
            'berkelanjutan untuk lebih memantau dan menegakkan penghentian permusuhan," ucap Kirby.',
            8: "Menurut Shoigu, operasi bersama ini akan lebih memaksimalkan upaya untuk melawan ISIS "
            "dan al-Nusra.",
        },
    ),
    "001": (
        16,
        "WASHINGTON, (Panjimas.com)",
        {
            3: "“Kami melihat tidak ada indikasi bahwa hal itu akan [berlangsung].” Jelas Kirby di "
            "Washington.",
            8: "Sejak Rusia memulai serangan udara di Suriah pada akhir September, AS telah menuntut "
            "Moskow mendukung koalisi pimpinan AS untuk menyerang Islamic State (IS).",
            9: "Pihak Rusia telah menolak dan terus mendukung rezim Syiah Nushairiyah Bashar al-Assad, "
            "bahkan menargetkan pasukan oposisi Suriah.",
            15: "Setidaknya ada sebanyak 477 pelanggaran dari kesepakatan tersebut telah direkam sejak "
            "kesepakatan penghentian permusuhan mulai berlaku, demikian menurut laporan Syrian "
            "Network for Human Rights (SNHR), Jaringan Suriah untuk Hak Asasi Manusia.",
        },
    ),
    "002": (
        15,
        None,
        {
            0: "Rusia Menolak permintaan AS Untuk Menghentikan Serangan Ke Aleppo",
            3: "Peskov juga mendesak Washington untuk menepati janjinya untuk memisahkan pemberontak "
            "“moderat” Suriah dari “teroris”.",
            12: "Tapi pada hari Rabu Menteri Luar Negeri AS John Kerry memperingatkan bahwa Washington "
            "akan mengakhiri pembicaraan gencatan senjata, kecuali Moskow berhenti melakukans "
            "erangan ke Aleppo.",
            14: "Menteri Luar Negeri Mevlut Cavusoglu kepada wartawan di Ankara “kami lebih dari siap” "
            "tapi menekankan bahwa semua negara terkait harus berusaha lebih keras untuk menemukan "
            "resolusi politik agar kesepakatan damai menjadi efektif.",
        },
    ),
    "003": (
        9,
        "MOSKOW",
        {
            0: "Amerika Serikat (AS) dan Rusia tampaknya serius untuk menjajaki kemungkinan melakukan "
            "kerjasama untuk menyelesaikan konflik yang berlangsung di Suriah.",
            1: "Pejabat tinggi kedua negara dilaporkan telah terlibat perbincangan mengenai kerjasama "
            "di Suriah.",
            5: "Sebagai gantinya, AS meminta Rusia untuk menekan rezim Bashar al-Assad guna "
            "menghentikan pemboman terhadap kelompok pemberontak yang didukung oleh AS.",
            8: "Namun, AS tetap tidak akan memberikan Rusia lokasi kelompok pemberontak, namun akan "
            "menentukan zona geografis yang aman dari serangan udara rezim Assad.",
        },
    ),
    "004": (
        11,
        "WASHINGTON",
        {
            0: "Kerry: AS-Rusia Punya Misi yang Sama di Suriah",
            3: '"Kami berbagi keprihatinan yang sama mengenai keberadaan ISIS di Suriah.',
            4: 'ISIS perlu dihancurkan, mereka harus dihentikan," kata Kerry dalam sebuah pernyataan, '
            "seperi dilansir Iran Daily pada Sabtu (26/9/2015).",
            10: 'Jadi, jelas sangat penting untuk melakukan percakapan itu," pungkasnya.',
        },
    ),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_sample_splits_like_a_careful_reader(prefix, sample_path):
    count, dateline, pinned = EXPECTED[prefix]
    record, sentences = segment_article(read_txt(sample_path(prefix)))
    assert len(sentences) == count
    assert record["dateline"] == dateline
    for idx, text in pinned.items():
        assert sentences[idx]["text"] == text
    for s in sentences:
        assert record["text"][s["start"] : s["end"]] == s["text"]
        assert not s["text"].startswith(("A\n", "(Baca", "Sumber:", "Copyright"))


def test_without_cleaning_the_debris_stays(sample_path):
    _record, sentences = segment_article(read_txt(sample_path("000")), clean=False)
    texts = [s["text"] for s in sentences]
    assert "A" in texts and "(ian)" in texts
    assert len(sentences) > 9
