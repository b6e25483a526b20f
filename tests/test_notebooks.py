"""The notebooks: committed without outputs, and they run top to bottom on the fixture pipeline."""

from __future__ import annotations

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


def test_the_three_notebooks_exist():
    assert set(NOTEBOOKS) <= {path.name for path in all_notebooks()}


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
