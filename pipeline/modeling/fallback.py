"""The small fallback BERT: WordPiece tokenizer and MLM warm-up on the corpus, when no weights exist."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

from pipeline.config import PROJECT_ROOT
from pipeline.io import write_json
from pipeline.modeling.model_info import PRETRAIN_INFO_FILE
from pipeline.modeling.trainer_progress import use_project_progress
from pipeline.modeling.wordpiece import learn_vocab
from pipeline.params import option

log = logging.getLogger(__name__)

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_POSITIVE = (
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
    "max_position_embeddings",
    "mlm_batch_size",
)


@dataclass(frozen=True)
class PretrainConfig:
    """Stage `pretrain`: MLM pretraining of the fallback BERT on unlabeled real news."""

    SECTION: ClassVar[str] = "pretrain"
    seed: int = option(13, "seeds initialisation and masking")
    max_length: int = option(48, "tokens per pretraining sentence")
    vocab_size: int = option(8000, "WordPiece vocabulary learned on the pretraining text")
    hidden_size: int = option(256, "hidden size (benchmarks/pretrain_shapes.py chose the shape)")
    num_hidden_layers: int = option(4, "transformer layers")
    num_attention_heads: int = option(4, "attention heads")
    intermediate_size: int = option(1024, "feed-forward size")
    max_position_embeddings: int = option(256, "longest input in tokens (>= train.max_length)")
    mlm_epochs: int = option(1, "passes over the text, unless mlm_max_steps is set")
    mlm_max_steps: int = option(1150, "optimizer steps (about 10 min on 2 cores); 0 = mlm_epochs")
    mlm_learning_rate: float = option(5e-4, "pretraining learning rate")
    mlm_batch_size: int = option(64, "sentences per pretraining step")
    extra_unlabeled_dirs: tuple[str, ...] = option((), "more article folders/files to pretrain on")

    def __post_init__(self) -> None:
        for name in (*_POSITIVE, "seed", "max_length", "mlm_epochs", "mlm_max_steps"):
            minimum = 0 if name in ("seed", "mlm_epochs", "mlm_max_steps") else 1
            if getattr(self, name) < minimum:
                raise ValueError(f"{name} must be >= {minimum}")
        if not 0 < self.mlm_learning_rate < 1:
            raise ValueError("mlm_learning_rate must be in (0, 1)")
        if self.hidden_size % self.num_attention_heads:
            raise ValueError("hidden_size must be a multiple of num_attention_heads")
        if self.vocab_size < 100:
            raise ValueError("vocab_size must be >= 100")


def extra_dirs(config: PretrainConfig) -> list[Path]:
    """The extra unlabeled folders, relative paths taken from the project root."""
    paths = [Path(p).expanduser() for p in config.extra_unlabeled_dirs]
    return [p if p.is_absolute() else PROJECT_ROOT / p for p in paths]


def corpus_texts(sentences_jsonl: Path, extra: Iterable[Path] = ()) -> list[str]:
    """Every corpus sentence, then the sentences of the extra unlabeled article folders."""
    texts = list(_jsonl_texts(sentences_jsonl))
    n_corpus = len(texts)
    for path in extra:
        texts.extend(_article_texts(path))
    log.info("MLM corpus: %d corpus + %d extra sentences", n_corpus, len(texts) - n_corpus)
    return texts


def _jsonl_texts(path: Path) -> Iterator[str]:
    """Non-empty `text` fields of a sentences JSONL file."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and (text := json.loads(line)["text"].strip()):
                yield text


def _article_texts(path: Path) -> Iterator[str]:
    """Sentences of every article under `path`, split as the pipeline does."""
    from pipeline.text.articles import iter_articles
    from pipeline.text.segment import segment_article

    for article in iter_articles(path):
        _, sentences = segment_article(article)
        yield from (s["text"] for s in sentences if s["text"].strip())


def train_tokenizer(texts: Iterable[str], vocab_size: int, model_max_length: int = 512) -> Any:
    """An uncased BERT WordPiece tokenizer learned from `texts`: the same texts, the same vocabulary."""
    from transformers import BertTokenizerFast

    vocab = learn_vocab(texts, vocab_size, SPECIAL_TOKENS)
    return BertTokenizerFast(
        vocab={token: i for i, token in enumerate(vocab)},
        do_lower_case=True,
        model_max_length=model_max_length,
    )


def bert_config(config: PretrainConfig, tokenizer: Any) -> Any:
    """A BertConfig of the fallback's shape, sized to the tokenizer's vocabulary."""
    from transformers import BertConfig

    return BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=config.hidden_size,
        num_hidden_layers=config.num_hidden_layers,
        num_attention_heads=config.num_attention_heads,
        intermediate_size=config.intermediate_size,
        max_position_embeddings=config.max_position_embeddings,
        pad_token_id=tokenizer.pad_token_id,
    )


def mlm_arguments(config: PretrainConfig, work_dir: Path, seed: int, precision: str) -> Any:
    """TrainingArguments of the warm-up; building them sets up the (DDP) process group."""
    import torch
    from transformers import TrainingArguments

    from pipeline.modeling.distributed import precision_flags

    return TrainingArguments(
        output_dir=str(work_dir),  # nothing is saved there: save_strategy "no"
        seed=seed,
        num_train_epochs=config.mlm_epochs,
        max_steps=config.mlm_max_steps or -1,  # a step budget, when set, overrides epochs
        learning_rate=config.mlm_learning_rate,
        per_device_train_batch_size=config.mlm_batch_size,
        warmup_steps=0.1,
        weight_decay=0.01,
        train_sampling_strategy="group_by_length",
        logging_strategy="steps" if config.mlm_max_steps else "epoch",
        logging_steps=max(1, config.mlm_max_steps // 30),
        save_strategy="no",
        eval_strategy="no",
        average_tokens_across_devices=False,  # else the logged DDP loss is world_size times too big
        report_to="none",
        dataloader_pin_memory=torch.cuda.is_available(),
        **precision_flags(precision),
    )


def mlm_warmup(
    model: Any, tokenizer: Any, texts: Sequence[str], args: Any, max_length: int = 128
) -> Any:
    """Masked-language-model training on `texts`; returns the Trainer (model trained in place)."""
    from datasets import Dataset
    from transformers import DataCollatorForLanguageModeling, Trainer

    data = Dataset.from_dict({"text": list(texts)}).map(
        lambda b: tokenizer(
            b["text"], truncation=True, max_length=max_length, return_special_tokens_mask=True
        ),
        batched=True,
        remove_columns=["text"],
        desc="tokenize (MLM)",
    )
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15, seed=args.seed)
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=data,
        data_collator=collator,
        processing_class=tokenizer,
    )
    use_project_progress(trainer, "pretraining (masked LM)")
    if args.num_train_epochs or args.max_steps > 0:
        trainer.train()
    return trainer


def build_fallback(
    texts: Sequence[str],
    config: PretrainConfig,
    out_dir: Path,
    seed: int,
    max_length: int = 128,
    precision: str = "fp32",
) -> dict[str, Any]:
    """Train tokenizer + MLM-warmed BertForMaskedLM on `texts` and save both to out_dir."""
    from transformers import AutoTokenizer, BertForMaskedLM, set_seed

    from pipeline.modeling.distributed import barrier, is_main_process

    if not texts:
        raise ValueError("fallback: no sentences to train the tokenizer and MLM warm-up on")
    if max_length > config.max_position_embeddings:
        raise ValueError(
            f"pretrain.max_length {max_length} > pretrain.max_position_embeddings "
            f"{config.max_position_embeddings}; raise the latter or lower the former"
        )
    out_dir = Path(out_dir)
    start = time.perf_counter()
    args = mlm_arguments(config, out_dir, seed, precision)
    if is_main_process():  # learned once, the other ranks load it
        tokenizer = train_tokenizer(texts, config.vocab_size, config.max_position_embeddings)
        tokenizer.save_pretrained(out_dir)
    barrier()
    tokenizer = AutoTokenizer.from_pretrained(out_dir)
    set_seed(seed)
    model = BertForMaskedLM(bert_config(config, tokenizer))
    trainer = mlm_warmup(model, tokenizer, texts, args, max_length)
    info = _info(trainer, config, texts, len(tokenizer))
    trainer.save_model(str(out_dir))
    if is_main_process():
        (out_dir / "training_args.bin").unlink(missing_ok=True)
        write_json(out_dir / PRETRAIN_INFO_FILE, info)
    barrier()
    log.info(
        "fallback BERT: vocab %d, MLM losses %s, %.1f s -> %s",
        len(tokenizer),
        info["mlm_loss"],
        time.perf_counter() - start,
        out_dir,
    )
    return info


def _info(trainer: Any, config: PretrainConfig, texts: Sequence[str], vocab: int) -> dict[str, Any]:
    """What was built: shape, data size and the per-epoch MLM loss (no timings: a DVC output)."""
    logged = [e for e in trainer.state.log_history if "loss" in e]
    return {
        "config": {f.name: getattr(config, f.name) for f in fields(config)},
        "vocab_size": vocab,
        "n_sentences": len(texts),
        "mlm_loss": [round(e["loss"], 4) for e in logged],
        "mlm_loss_steps": [int(e["step"]) for e in logged],
    }
