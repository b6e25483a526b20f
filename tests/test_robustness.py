"""Nothing lost, nothing mixed: one test per numbered case of the robustness issue."""

from __future__ import annotations

import codecs
import csv
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import PROJECT_ROOT, label_names
from pipeline.errors import Busy
from pipeline.io import exclusive_lock, write_csv, write_json, write_jsonl
from pipeline.labeling.gold import read_gold, write_gold
from pipeline.modeling.predictor import load_predictor
from pipeline.text.articles import InputError, iter_records
from pipeline.text.keys import sentence_key

from tiny_model import make_baseline_dir

runner = CliRunner()
NAMES = label_names()  # configs/labels.yaml, the one list
TEXT = "Jepang menolak kerja sama pertahanan. Korea mengusulkan kerja sama dengan mitra."
ENV = {**os.environ, "TOKENIZERS_PARALLELISM": "false"}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return make_baseline_dir(tmp_path_factory.mktemp("baseline"), NAMES)


def articles(path: Path, ids, text: str = TEXT) -> Path:
    write_jsonl(path, ({"id": i, "text": text} for i in ids))
    return path


def said(result, caplog) -> str:
    """What a command told the user: its output and its log lines."""
    return result.output + caplog.text


def score(*args: str):
    return runner.invoke(app, ["score", *map(str, args)])


def hold_lock(target: Path) -> subprocess.Popen:
    """Another process holding the writer lock on `target` until it is killed."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from pipeline.io import exclusive_lock
        with exclusive_lock({str(target)!r}):
            print("locked", flush=True)
            time.sleep(120)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=ENV, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


# 1. Two runs into one output folder at once
def test_a_second_scorer_into_a_busy_folder_is_refused_naming_the_holder(
    caplog, tmp_path, model_dir
):
    out = tmp_path / "out"
    holder = hold_lock(out)
    try:
        inp = articles(tmp_path / "b.jsonl", ["b1", "b2"])
        result = score(inp, "-o", out, "--model", model_dir, "--overwrite")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2
    assert f"pid {holder.pid}" in said(result, caplog) and "being written" in said(result, caplog)
    assert not out.exists()


def test_two_real_scorers_race_and_the_output_holds_one_run(tmp_path, model_dir):
    """Two `stance score --overwrite` processes started together: never a mixed output."""
    first = articles(tmp_path / "a.jsonl", [f"a{i}" for i in range(1500)])
    second = articles(tmp_path / "b.jsonl", [f"b{i}" for i in range(700)])
    out = tmp_path / "out"
    common = ["--model", str(model_dir), "--overwrite", "--chunk-size", "50", "-o", str(out)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "score", str(inp), *common],
            cwd=PROJECT_ROOT,
            env=ENV,
            stderr=subprocess.PIPE,
            text=True,
        )
        for inp in (first, second)
    ]
    codes = [p.wait(timeout=300) for p in procs]
    errors = [p.stderr.read() for p in procs]
    assert set(codes) <= {0, 2} and 0 in codes, errors
    for code, err in zip(codes, errors, strict=True):
        assert code == 0 or "being written by pid" in err
    ids = set(pd.read_json(out / "articles.jsonl", lines=True)["article_id"])
    run = json.loads((out / "run.json").read_text())
    assert ids in ({f"a{i}" for i in range(1500)}, {f"b{i}" for i in range(700)})
    assert run["counts"]["articles"] == len(ids)


# 2. --resume on a finished folder
def test_resume_of_a_finished_run_with_other_inputs_is_refused(caplog, tmp_path, model_dir):
    out = tmp_path / "out"
    inp = articles(tmp_path / "a.jsonl", ["a1", "a2"])
    assert score(inp, "-o", out, "--model", model_dir).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    same = score(inp, "-o", out, "--model", model_dir, "--resume")
    assert same.exit_code == 0 and {p.name: p.read_bytes() for p in out.iterdir()} == before
    other = articles(tmp_path / "b.jsonl", ["b1"])
    refused = score(other, "-o", out, "--model", model_dir, "--resume")
    assert refused.exit_code == 2 and "finished run with other inputs" in said(refused, caplog)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# 3. A refused run leaves no trace
def test_a_run_refused_for_bad_input_leaves_nothing_behind(caplog, tmp_path, model_dir):
    out = tmp_path / "out"
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"id": "a1", "text": "Baik."}\n{"id": 7, "text": "Buruk."}\n')
    refused = score(bad, "-o", out, "--model", model_dir)
    assert refused.exit_code == 2 and f"{bad}:2" in said(refused, caplog)
    assert not out.exists() or not any(out.iterdir())
    bad.write_text('{"id": "a1", "text": "Baik."}\n{"id": "a2", "text": "Buruk."}\n')
    assert score(bad, "-o", out, "--model", model_dir).exit_code == 0


# 4. Output equal to, or inside, an input
def test_outputs_inside_inputs_are_refused(caplog, tmp_path, model_dir):
    folder = tmp_path / "articles"
    folder.mkdir()
    original = articles(folder / "a.jsonl", ["a1"]).read_bytes()
    same = runner.invoke(app, ["split", str(folder / "a.jsonl"), "-o", str(folder / "a.jsonl")])
    assert same.exit_code == 2 and "inside the input" in said(same, caplog)
    assert (folder / "a.jsonl").read_bytes() == original
    inside = score(folder, "-o", folder / "scored", "--model", model_dir)
    assert inside.exit_code == 2 and not (folder / "scored").exists()


# 5. File modes
def test_written_files_keep_normal_modes(tmp_path):
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        write_json(fresh, {"a": 1})
        assert fresh.stat().st_mode & 0o777 == 0o644
        shared = tmp_path / "gold.jsonl"
        write_gold(shared, [])
        shared.chmod(0o664)
        write_gold(
            shared, [{"article_id": "a", "key": sentence_key("x"), "label": "none", "text": "x"}]
        )
        assert shared.stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(old)


# 6. Two imports at once; one sentence twice in a CSV
def _labels_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "label"])
        for text, label in rows:
            writer.writerow([f"art1:{sentence_key(text)}", text, label])
    return path


def test_an_import_while_another_holds_the_gold_file_is_refused(caplog, tmp_path):
    gold = tmp_path / "gold.jsonl"
    write_gold(gold, [])
    filled = _labels_csv(tmp_path / "todo.csv", [("AS menolak tawaran itu.", "rejected")])
    holder = hold_lock(gold)
    try:
        result = runner.invoke(app, ["annotate", "import", str(filled), "--gold", str(gold)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2 and f"pid {holder.pid}" in said(result, caplog)
    assert read_gold(gold) == []
    again = runner.invoke(app, ["annotate", "import", str(filled), "--gold", str(gold)])
    assert again.exit_code == 0 and len(read_gold(gold)) == 1


def test_one_sentence_labeled_twice_differently_names_both_lines(caplog, tmp_path):
    gold = tmp_path / "gold.jsonl"
    write_gold(gold, [])
    text = "AS menolak tawaran itu."
    filled = _labels_csv(
        tmp_path / "todo.csv", [(text, "rejected"), ("Lain.", "none"), (text, "none")]
    )
    result = runner.invoke(app, ["annotate", "import", str(filled), "--gold", str(gold)])
    assert result.exit_code == 2
    assert f"{filled}:4" in said(result, caplog) and "'rejected' on line 2" in said(result, caplog)
    assert read_gold(gold) == []


# 7. Strict field types, CSV syntax, encodings
@pytest.mark.parametrize(
    "value", [3, ["Menteri menolak.", "Ia setuju."], {"a": 1}, True, float("nan")]
)
def test_non_string_fields_are_per_record_errors(tmp_path, value):
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "a1", "text": value})
        + "\n"
        + json.dumps({"id": "a2", "text": "Baik."})
        + "\n"
    )
    records = list(iter_records(path))
    assert isinstance(records[0], InputError) and "'text' is" in records[0].problem
    assert records[0].line == 1 and records[1].id == "a2"


def test_skip_bad_puts_a_non_string_title_in_rejected(tmp_path, model_dir):
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "a1", "text": TEXT, "title": 12})
        + "\n"
        + json.dumps({"id": "a2", "text": TEXT})
        + "\n"
    )
    assert score(path, "-o", tmp_path / "out", "--model", model_dir, "--skip-bad").exit_code == 0
    rejected = [json.loads(x) for x in (tmp_path / "out" / "rejected.jsonl").open()]
    assert [(r["line"], "'title'" in r["reason"]) for r in rejected] == [(1, True)]


def test_a_csv_quote_that_never_closes_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,text\na1,"Baik.\na2,Buruk.\na3,Lain.\n')
    records = list(iter_records(path))
    assert [type(r).__name__ for r in records] == ["InputError"]
    assert records[0].line == 2 and "quote" in str(records[0])


def test_utf16_with_a_bom_decodes(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        codecs.BOM_UTF16_LE
        + '{"id": "a1", "text": "Menteri menolak usulan itu."}\n'.encode("utf-16-le")
    )
    (record,) = iter_records(path)
    assert record.text == "Menteri menolak usulan itu."
    txt = tmp_path / "b.txt"
    txt.write_bytes("Judul\nMenteri setuju.\n".encode("utf-16"))
    (article,) = iter_records(txt)
    assert (article.title, article.text.strip()) == ("Judul", "Menteri setuju.")


def test_a_stray_windows_1252_line_in_utf8_is_reported_not_replaced(caplog, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        '{"id": "a1", "text": "Menteri menyebut “kerja sama”."}\n'.encode()
        + '{"id": "a2", "text": "Café ditutup."}\n'.encode("cp1252")
        + b'{"id": "a3", "text": "Baik."}\n'
    )
    records = list(iter_records(path))
    assert [type(r).__name__ for r in records] == ["Article", "InputError", "Article"]
    assert records[1].line == 2 and "not UTF-8" in records[1].problem
    assert all("\ufffd" not in r.text for r in records if not isinstance(r, InputError))


# 8. The served model validates its input
@pytest.fixture(scope="module")
def served(model_dir):
    from pipeline.scoring.pyfunc import StanceArticleModel

    model = StanceArticleModel()
    model.predictor = load_predictor(model_dir, trusted=True)
    return model


@pytest.mark.parametrize(
    ("records", "params", "message"),
    [
        ([{"id": "a1"}], None, "lacks column(s) ['text']"),
        ([{"id": "a1", "text": None}, {"id": "a2", "text": "Baik."}], None, "record 0: 'text'"),
        ([{"id": "a1", "text": "Baik."}, {"id": "a1", "text": "Lain."}], None, "duplicate id 'a1'"),
        ([{"id": "a1", "text": "Baik."}], {"output": "xml"}, "params.output must be one of"),
    ],
)
def test_the_served_model_answers_400_to_bad_requests(served, records, params, message):
    from mlflow.exceptions import MlflowException

    with pytest.raises(MlflowException) as caught:
        served.predict(None, pd.DataFrame(records), params)
    assert message in caught.value.message
    assert caught.value.get_http_status_code() == 400


# 9. Params: quoted booleans, unknown keys (see tests/test_params.py for every section)
def test_quoted_boolean_in_params_is_an_error():
    from pipeline.params import ModelParams, ParamsError, parse_params

    with pytest.raises(ParamsError, match="must be true or false"):
        parse_params(ModelParams, {"allow_packaged": "false"}, "model")


# 10. Empty results keep their header and schema
@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_an_empty_result_still_has_columns(caplog, tmp_path, model_dir, fmt):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "x"}) + "\n")
    out = tmp_path / "out"
    result = score(path, "-o", out, "--model", model_dir, "--skip-bad", "--format", fmt)
    assert result.exit_code == 0, said(result, caplog)
    if fmt == "jsonl":
        assert (out / "sentences.jsonl").read_text() == ""
        return
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    sentences, arts = read(out / f"sentences.{fmt}"), read(out / f"articles.{fmt}")
    assert len(sentences) == 0 and {"article_id", "label", "p_none", "cut"} <= set(
        sentences.columns
    )
    assert len(arts) == 0 and {"dominant_stance", "share_none"} <= set(arts.columns)


# 11. Size limits
def test_an_oversized_article_is_rejected_with_its_reason(caplog, tmp_path, model_dir):
    path = articles(tmp_path / "in.jsonl", ["big"], text="Kata. " * 50_000)
    result = score(
        path, "-o", tmp_path / "out", "--model", model_dir, "--max-article-chars", "100000"
    )
    assert result.exit_code == 2 and "'big' has 300,000 characters" in said(result, caplog)
    skipped = score(
        path,
        "-o",
        tmp_path / "out2",
        "--model",
        model_dir,
        "--max-article-chars",
        "100000",
        "--skip-bad",
    )
    assert skipped.exit_code == 0
    assert "over the limit" in (tmp_path / "out2" / "rejected.jsonl").read_text()


def test_a_run_without_punctuation_is_cut_and_flagged(tmp_path, model_dir, caplog):
    path = articles(tmp_path / "in.jsonl", ["long"], text="kata " * 19_400)
    with caplog.at_level(logging.WARNING):
        result = score(path, "-o", tmp_path / "out", "--model", model_dir)
    assert result.exit_code == 0, said(result, caplog)
    sentences = pd.read_json(tmp_path / "out" / "sentences.jsonl", lines=True)
    assert sentences["cut"].all() and sentences["text"].str.len().max() <= 2000
    assert len(sentences) >= 97_000 // 2000 and list(sentences["sent_idx"]) == list(
        range(len(sentences))
    )
    assert "cut at spaces" in caplog.text


# 12. Formula injection in spreadsheet-bound CSV
def test_spreadsheet_csv_cells_are_escaped(tmp_path, model_dir):
    path = articles(
        tmp_path / "in.jsonl", ['=HYPERLINK("http://x")'], text='=HYPERLINK("http://x") menolak.'
    )
    out = tmp_path / "out"
    assert score(path, "-o", out, "--model", model_dir, "--format", "csv").exit_code == 0
    cells = (out / "sentences.csv").read_text()
    assert "'=HYPERLINK" in cells and ",=HYPERLINK" not in cells
    plain = tmp_path / "plain.csv"
    write_csv(plain, [{"a": "-1", "b": "+x", "c": "@y", "d": "ok"}], spreadsheet=True)
    assert plain.read_text().splitlines()[1] == "'-1,'+x,'@y,ok"


# 13. Pickles from outside the project
def test_loading_a_baseline_from_outside_the_project_warns(model_dir, caplog):
    with caplog.at_level(logging.WARNING):
        load_predictor(model_dir)
    assert "is a pickle and runs code when loaded" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        load_predictor(model_dir, trusted=True)
    assert "pickle" not in caplog.text


def test_the_lock_is_released_when_its_holder_dies(tmp_path):
    target = tmp_path / "out"
    holder = hold_lock(target)
    with pytest.raises(Busy, match=f"pid {holder.pid} "), exclusive_lock(target):
        pass  # held: refused at once, naming the holder
    holder.kill()
    holder.wait()
    lock_file = tmp_path / ".out.lock"
    with exclusive_lock(target):  # its death released it: this process holds it now
        assert lock_file.read_text().startswith(f"pid {os.getpid()} ")
