"""The notebooks: committed without outputs, and they run top to bottom on the fixture pipeline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = ("01_corpus.ipynb", "02_error_analysis.ipynb", "03_scored_articles.ipynb")
KERNEL = "python3"
# Kernelspec argv[0] values that jupyter_client replaces with sys.executable when it starts one.
PYTHON_NAMES = {
    "python",
    f"python{sys.version_info.major}",
    "python{}.{}".format(*sys.version_info),
}


def all_notebooks() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts; clear them"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_first_finds_the_project_and_the_mlflow_store(name):
    first = code_cells(nbformat.read(NOTEBOOKS_DIR / name, as_version=4))[0].source
    assert "from pipeline.config import PROJECT_ROOT" in first
    assert "mlflow.set_tracking_uri(tracking_uri())" in first


def _kernel_runs_this_python(name: str) -> bool:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv = KernelSpecManager().get_kernel_spec(name).argv
    except NoSuchKernel:
        return False
    return argv[0] in PYTHON_NAMES or Path(argv[0]).absolute() == Path(sys.executable).absolute()


@pytest.fixture(scope="session")
def python3_kernel() -> str:
    """A kernelspec named python3 that runs this interpreter; installed into the venv if not."""
    if not _kernel_runs_this_python(KERNEL):
        subprocess.run(
            [sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL],
            check=True,
            capture_output=True,
        )
    assert _kernel_runs_this_python(KERNEL), (
        f"kernelspec {KERNEL!r} does not run {sys.executable}: "
        "see `jupyter kernelspec list` (a user-level one may shadow the venv's)"
    )
    return KERNEL


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_on_the_fixture_pipeline(name, fixture_pipeline, python3_kernel, monkeypatch):
    from nbclient import NotebookClient

    root = fixture_pipeline.root
    # The kernel inherits this environment: the fixture copy is the project and `pipeline`.
    monkeypatch.setenv("STANCE_PROJECT_ROOT", str(root))
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    )
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    workdir = root / "notebooks"
    workdir.mkdir(exist_ok=True)
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    if name in CHECKS:
        nb.cells.append(nbformat.v4.new_code_cell(CHECKS[name]))
    client = NotebookClient(
        nb,
        kernel_name=python3_kernel,
        timeout=600,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    errors = [o for cell in code_cells(nb) for o in cell.outputs if o.output_type == "error"]
    assert not errors
    setup_output = "".join(o.get("text", "") for o in code_cells(nb)[0].outputs)
    assert str(root) in setup_output, f"the notebook did not run on the fixture:\n{setup_output}"
    if name in CHECKS:
        printed = "".join(o.get("text", "") for o in code_cells(nb)[-1].outputs)
        shown = json.loads(printed.split(MARK, 1)[1])
        EXPECTED[name](root, shown)


MARK = "NOTEBOOK_CHECK "
# A last cell prints what the notebook computed; the test compares it with the pipeline's files.
CHECKS = {
    "02_error_analysis.ipynb": f"""import json
print({MARK!r} + json.dumps({{
    "domain": DOMAIN,
    "f1": {{m: [None if np.isnan(v) else round(float(v), 6) for v in scores[(m, "f1")]]
           for m in MODELS}},
    "support": [int(v) for v in scores[("gold", "support")]],
    "errors": len(errors),
}}))""",
    "03_scored_articles.ipynb": f"""import json
print({MARK!r} + json.dumps({{
    "n": len(articles),
    "dominant": articles["dominant_stance"].value_counts().to_dict(),
}}))""",
}


def _check_error_analysis(root: Path, shown: dict) -> None:
    metrics = json.loads((root / "metrics" / "metrics.json").read_text(encoding="utf-8"))
    domain = shown["domain"]
    assert domain == metrics["headline_domain"]
    labels = list(metrics["baseline"][domain]["test"]["per_class"])
    for model, f1s in shown["f1"].items():
        per_class = metrics[model][domain]["test"]["per_class"]
        shown_f1 = dict(zip(_labels(root), f1s, strict=True))
        assert shown_f1 == {k: v["f1"] for k, v in per_class.items()}, model
    support = dict(zip(_labels(root), shown["support"], strict=True))
    assert support == {
        k: metrics["baseline"][domain]["test"]["per_class"][k]["support"] for k in labels
    }
    champion = json.loads((root / "models" / "champion" / "champion.json").read_text())["champion"]
    result = metrics[champion][domain]["test"]
    right = sum(result["confusion_matrix"][i][i] for i in range(len(labels)))
    assert shown["errors"] == result["n"] - right


def _check_scored_articles(root: Path, shown: dict) -> None:
    rows = [json.loads(line) for line in (root / "data" / "scored" / "articles.jsonl").open()]
    assert shown["n"] == len(rows) > 0
    counts: dict[str, int] = {}
    for row in rows:
        if row["dominant_stance"] is not None:  # value_counts() leaves out missing values
            counts[row["dominant_stance"]] = counts.get(row["dominant_stance"], 0) + 1
    assert shown["dominant"] == counts


def _labels(root: Path) -> list[str]:
    import yaml

    spec = yaml.safe_load((root / "configs" / "labels.yaml").read_text(encoding="utf-8"))
    return [item["name"] for item in spec["labels"]]


EXPECTED = {
    "02_error_analysis.ipynb": _check_error_analysis,
    "03_scored_articles.ipynb": _check_scored_articles,
}
