"""A tiny corpus in IndoSum's format, written by the tests (no IndoSum text), with stand-off labels."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.text.keys import sentence_key

PARTIES = [
    ("Kementerian Pertahanan", "Angkatan Laut Australia"),
    ("PT Pertamina", "perusahaan energi Jepang"),
    ("Pemerintah Kota Bandung", "Universitas Padjadjaran"),
    ("Partai Demokrat", "Partai Gerindra"),
    ("Persib Bandung", "klub Thailand"),
    ("Kementerian Perdagangan", "asosiasi pedagang"),
    ("Polda Metro Jaya", "Badan Narkotika Nasional"),
    ("Bank Indonesia", "bank sentral Korea"),
    ("Pemprov Jawa Timur", "investor Singapura"),
    ("Kementerian Luar Negeri", "pemerintah Malaysia"),
    ("PT Garuda Indonesia", "maskapai Qatar"),
    ("Dinas Kesehatan", "rumah sakit swasta"),
]
SENTENCES = [
    ("{a} menawarkan kerja sama dengan {b} tahun ini.", "proposed"),
    ("Hujan deras turun di kawasan itu sejak pagi hari.", "none"),
    ("{b} menolak tawaran kerja sama dari {a}.", "rejected"),
    ("Harga cabai di pasar naik dua kali lipat pekan ini.", "none"),
    ("{a} siap bekerja sama asalkan {b} menanggung biaya awal.", "conditional"),
    ("Acara itu dihadiri ratusan warga dari berbagai daerah.", "none"),
]


def tokenize(sentence: str) -> list[str]:
    return re.findall(r"\w+(?:-\w+)*|[^\w\s]", sentence)


N_ARTICLES = 30


def party_pairs(n: int) -> list[tuple[str, str]]:
    """n distinct (first party, second party) pairs."""
    return [(PARTIES[i % 12][0], PARTIES[(i + 1 + i // 12) % 12][1]) for i in range(n)]


def write_corpus(folder: Path, n_articles: int = N_ARTICLES) -> list[dict]:
    """Write dev.01.jsonl into folder; returns the stand-off label records for every sentence."""
    folder.mkdir(parents=True, exist_ok=True)
    records, lines = [], []
    for i, (a, b) in enumerate(party_pairs(n_articles)):
        article_id = f"fx{i:03d}-artikel-uji"
        texts = [(t.format(a=a, b=b), label) for t, label in SENTENCES]
        paragraphs = [[tokenize(t) for t, _ in texts[:3]], [tokenize(t) for t, _ in texts[3:]]]
        lines.append(json.dumps({"id": article_id, "category": "uji", "paragraphs": paragraphs}))
        for n, (text, label) in enumerate(texts):
            para, sent = divmod(n, 3)
            records.append(
                {
                    "corpus": "indosum",
                    "article_id": article_id,
                    "para": para,
                    "sent": sent,
                    "key": sentence_key(text),
                    "label": label,
                    "annotator": "test-fixture",
                    "labeled_at": "2026-01-01T00:00:00Z",
                    "selection": "random_article",
                    "note": "",
                }
            )
    (folder / "dev.01.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return records
