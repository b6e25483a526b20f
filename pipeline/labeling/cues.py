"""Cue words of the labeling guide: for finding candidate sentences, never for writing gold labels."""

from __future__ import annotations

import re

# From ../shared/LABELING.md's cue column and borderline rules, per label.
CUES: dict[str, tuple[str, ...]] = {
    "proposed": (
        r"mengusulkan",
        r"usul(?:an)?",
        r"mengajukan proposal",
        r"menawarkan",
        r"tawaran",
        r"mengajak",
        r"siap bekerja\s?sama",
        r"bersedia",
        r"sepakat",
        r"kesepakatan",
        r"menyambut baik",
        r"membahas kemungkinan",
        r"berkomitmen",
        r"kerja\s?sama",
        r"bekerja\s?sama",
        r"kolaborasi",
        r"berkolaborasi",
        r"berkoordinasi",
        r"kemitraan",
        r"bermitra",
        r"nota kesepahaman",
        r"mou",
        r"perjanjian",
        r"negosiasi",
        r"perundingan",
        r"bergabung",
        r"koalisi",
        r"aliansi",
    ),
    "rejected": (
        r"menolak",
        r"penolakan",
        r"tidak ada rencana",
        r"tidak berkolaborasi",
        r"tidak berkoordinasi",
        r"membatalkan",
        r"dibatalkan",
        r"menghentikan kerja\s?sama",
        r"tidak ada yang disepakati",
        r"belum ada kesepakatan",
        r"urung",
        r"mengakhiri kontrak",
        r"memutus(?:kan)? kontrak",
        r"di luar pemerintahan",
    ),
    "conditional": (
        r"asalkan",
        r"asal",
        r"dengan syarat",
        r"syaratnya",
        r"sebagai gantinya",
        r"sebagai imbalan",
        r"kecuali",
        r"terlebih dahulu",
        r"ultimatum",
    ),
}


def cue_pattern(label: str) -> re.Pattern[str]:
    """One case-insensitive, word-bounded regex for a label's cues."""
    return re.compile(r"\b(?:" + "|".join(CUES[label]) + r")\b", re.IGNORECASE)


ANY_CUE = re.compile(
    r"\b(?:" + "|".join(c for cues in CUES.values() for c in cues) + r")\b", re.IGNORECASE
)
