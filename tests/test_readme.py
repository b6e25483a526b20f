"""The README stays true: commands first, configuration reference in sync with params."""

import yaml

from pipeline.config import PARAMS_FILE, PROJECT_ROOT
from pipeline.params_doc import END, START, params_rows, params_table, render_readme
from pipeline.tracking import flatten

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_configuration_reference_matches_the_params_file():
    assert render_readme(README, params_table()) == README, "run `python -m pipeline.params_doc`"


def test_every_params_key_is_documented():
    rows = params_rows()
    documented = {key for key, _, doc in rows if doc}
    assert {key for key, _, _ in rows} == documented
    leaves = set(flatten(yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))))
    assert leaves <= documented


def test_the_two_commands_come_first():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    assert "make repro" in first_block and "make test" in first_block
    assert README.index(START) < README.index(END)


def test_the_table_escapes_pipes_in_meanings(tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("s: # section\n  k: a # x | y\n", encoding="utf-8")
    assert "| `s.k` | `a` | x \\| y |" in params_table(params)
