"""The fallback BERT: config checks, corpus reading, and a loadable checkpoint folder."""

from __future__ import annotations

import json

import pytest

from pipeline.modeling.fallback import PretrainConfig, build_fallback, corpus_texts, train_tokenizer
from pipeline.params import ParamsError, parse_params

from tiny_model import tiny_rows

TINY = {
    "vocab_size": 200,
    "hidden_size": 32,
    "num_hidden_layers": 1,
    "num_attention_heads": 2,
    "intermediate_size": 64,
    "max_position_embeddings": 64,
    "mlm_epochs": 2,
    "mlm_max_steps": 0,
    "mlm_batch_size": 16,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hidden_size": 33}, "multiple of num_attention_heads"),
        ({"mlm_batch_size": 0}, "mlm_batch_size"),
        ({"vocab_size": 10}, "vocab_size"),
        ({"mlm_learning_rate": 2.0}, "mlm_learning_rate"),
        ({"hidden_size": 32.0}, "hidden_size"),
    ],
)
def test_config_rejects_bad_values(change, message):
    with pytest.raises(ParamsError, match=message):
        parse_params(PretrainConfig, {**TINY, **change}, "pretrain")


def test_config_from_params_rejects_unknown_keys():
    with pytest.raises(ParamsError, match=r"unknown key `pretrain\.hidden`"):
        parse_params(PretrainConfig, {**TINY, "hidden": 3}, "pretrain")
    config = parse_params(PretrainConfig, {**TINY, "extra_unlabeled_dirs": None}, "pretrain")
    assert (config.mlm_epochs, config.extra_unlabeled_dirs) == (2, ())


def test_corpus_texts_reads_sentences_and_extra_articles(tmp_path):
    sentences = tmp_path / "sentences.jsonl"
    rows = [{"article_id": "a", "sent_idx": i, "text": t} for i, t in enumerate(["Satu.", " "])]
    sentences.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    extra = tmp_path / "archive"
    extra.mkdir()
    (extra / "x.txt").write_text("Judul\nRusia menolak tawaran itu. Jepang setuju.\n")
    texts = corpus_texts(sentences, [extra])
    assert texts[0] == "Satu."
    assert len(texts) >= 3
    assert any("Jepang setuju." in t for t in texts)


def test_tokenizer_is_uncased_wordpiece():
    tok = train_tokenizer([r["text"] for r in tiny_rows(5)], 150, 64)
    assert tok.tokenize("RUSIA menolak") == tok.tokenize("rusia menolak")
    assert tok("rusia")["input_ids"][0] == tok.cls_token_id


def test_fallback_dir_loads_like_a_hub_checkpoint(tmp_path):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    texts = [r["text"] for r in tiny_rows(8)]
    info = build_fallback(texts, PretrainConfig(**TINY), tmp_path / "fb", seed=1, max_length=32)
    assert len(info["mlm_loss"]) == 2
    model = AutoModelForSequenceClassification.from_pretrained(tmp_path / "fb", num_labels=4)
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "fb")
    logits = model(**tokenizer(texts[:3], padding=True, return_tensors="pt")).logits
    assert tuple(logits.shape) == (3, 4)
    assert model.config.hidden_size == 32
    assert (tmp_path / "fb" / "fallback_info.json").is_file()


def test_same_seed_builds_the_same_fallback(tmp_path):
    from safetensors.torch import load_file

    texts = [r["text"] for r in tiny_rows(8)]
    for name in ("a", "b"):
        build_fallback(texts, PretrainConfig(**TINY), tmp_path / name, seed=3, max_length=32)
    a, b = tmp_path / "a", tmp_path / "b"
    assert (a / "tokenizer.json").read_text() == (b / "tokenizer.json").read_text()
    weights_a, weights_b = load_file(a / "model.safetensors"), load_file(b / "model.safetensors")
    assert weights_a.keys() == weights_b.keys()
    assert all(weights_a[k].equal(weights_b[k]) for k in weights_a)
    # Every file, not only the weights: the folder is a DVC output, hashed as a whole.
    for file in a.iterdir():
        assert file.read_bytes() == (b / file.name).read_bytes(), file.name


def test_max_length_must_fit_positions(tmp_path):
    with pytest.raises(ValueError, match="max_position_embeddings"):
        build_fallback(["a b"], PretrainConfig(**TINY), tmp_path, seed=1, max_length=128)


def run_stage(stage, args, monkeypatch, params) -> None:
    import typer
    from typer.testing import CliRunner

    monkeypatch.setattr(
        stage, "load_section", lambda cls: parse_params(cls, params[cls.SECTION], cls.SECTION)
    )
    app = typer.Typer()
    app.command()(stage.main)
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def write_resolved(path, source):
    path.write_text(json.dumps({"name": "x/y", "requested_revision": "main", "source": source}))
    return path


def test_pretrain_stage_skips_when_real_weights_resolve(monkeypatch, tmp_path):
    from pipeline.stages import pretrain

    sentences = tmp_path / "sentences.jsonl"
    sentences.write_text(json.dumps({"text": "x"}) + "\n")
    params = {"pretrain": {**TINY, "seed": 1, "max_length": 32}}
    out, curve = tmp_path / "pretrained", tmp_path / "loss.csv"
    args = [write_resolved(tmp_path / "r.json", "hub"), sentences, tmp_path / "none", out, curve]
    run_stage(pretrain, args, monkeypatch, params)
    info = json.loads((out / "fallback_info.json").read_text())
    assert info["skipped"] is True and "hub" in info["reason"]
    assert [p.name for p in out.iterdir()] == ["fallback_info.json"]
    assert curve.read_text() == "step,mlm_loss\n"


def test_pretrain_then_fine_tune_the_fallback(monkeypatch, tmp_path, caplog):
    from fixture_corpus import write_corpus

    from pipeline.stages import pretrain
    from pipeline.stages import train_transformer as train

    corpus = tmp_path / "indosum"
    write_corpus(corpus, n_articles=6)
    sentences = tmp_path / "sentences.jsonl"
    sentences.write_text("".join(json.dumps({"text": r["text"]}) + "\n" for r in tiny_rows(8)))
    resolved = write_resolved(tmp_path / "resolved.json", "fallback")
    pretrained, curve = tmp_path / "models" / "pretrained", tmp_path / "loss.csv"
    params = {
        "pretrain": {**TINY, "mlm_epochs": 1, "mlm_max_steps": 4, "seed": 1, "max_length": 32},
        "train": {
            "max_length": 32,
            "batch_size": 8,
            "fallback": {"epochs": 2, "learning_rate": 1e-2},
        },
    }
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    run_stage(pretrain, [resolved, sentences, corpus, pretrained, curve], monkeypatch, params)
    info = json.loads((pretrained / "fallback_info.json").read_text())
    assert info["n_real_news_sentences"] == 36  # 6 fixture articles x 6 sentences
    assert info["n_sentences"] == 36 + len(sentences.read_text().splitlines())
    assert info["tokens_per_word_real_news"] >= 1.0
    lines = curve.read_text().splitlines()
    assert lines[0] == "step,mlm_loss" and len(lines) == 1 + len(info["mlm_loss"]) >= 2

    splits = tmp_path / "partitions"
    splits.mkdir()
    for name, rows in (("train", tiny_rows(6)), ("validation", tiny_rows(2, offset=3))):
        (splits / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "models" / "transformer"
    run_stage(train, [splits, pretrained, resolved, out], monkeypatch, params)
    info = json.loads((out / "model_info.json").read_text())
    assert (info["model_source"], info["checkpoint"], info["revision"]) == ("fallback", "x/y", None)
    assert json.loads((out / "config.json").read_text())["model_source"] == "fallback"
    history = json.loads((out / "training_history.json").read_text())
    assert len(history["epochs"]) == 2  # train.fallback.epochs overrides train.epochs
    assert json.loads((out / "fallback_info.json").read_text())["mlm_loss"]
    assert (out / "calibration.json").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "pretrained",
        "transformer",
        "transformer.run.json",
    ]
    assert "FALLBACK" in caplog.text


def test_fine_tuning_refuses_a_skipped_pretraining(monkeypatch, tmp_path):
    from pipeline.modeling.train_config import TrainConfig
    from pipeline.stages.train_transformer import use_pretrained_fallback

    (tmp_path / "fallback_info.json").write_text(json.dumps({"skipped": True, "reason": "hub"}))
    with pytest.raises(FileNotFoundError, match="dvc repro pretrain"):
        use_pretrained_fallback(tmp_path, TrainConfig())


def test_without_real_news_the_step_budget_shrinks_to_the_passes():
    from pipeline.stages.pretrain import step_budget

    config = parse_params(PretrainConfig, {**TINY, "mlm_max_steps": 1150, "mlm_epochs": 1}, "x")
    assert step_budget(config, 1070, 0).mlm_max_steps == 67  # ceil(1070 / 16)
    assert step_budget(config, 44758, 43688).mlm_max_steps == 1150  # the corpus is there
    assert step_budget(config, 100_000, 0).mlm_max_steps == 1150  # more passes than the budget
    epochs_only = parse_params(PretrainConfig, {**TINY, "mlm_max_steps": 0}, "x")
    assert step_budget(epochs_only, 1070, 0) == epochs_only
