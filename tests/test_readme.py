"""The README stays true: commands first, configuration reference in sync with params."""

import re

import yaml

from pipeline.config import PARAMS_FILE, PROJECT_ROOT
from pipeline.params_doc import END, SECTIONS, START, params_rows, params_table, render_readme
from pipeline.tracking.runs import flatten

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_configuration_reference_matches_the_params_file():
    assert render_readme(README, params_table()) == README, "run `python -m pipeline.params_doc`"


def test_every_params_key_is_documented():
    rows = params_rows()
    documented = {key for key, _, doc in rows if doc}
    assert {key for key, _, _ in rows} == documented
    leaves = set(flatten(yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))))
    undocumented = {
        leaf
        for leaf in leaves
        if not any(leaf == key or leaf.startswith(key + ".") for key in documented)
    }
    assert not undocumented
    sections = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))
    assert set(sections) == {cls.SECTION for cls in SECTIONS}


def test_the_two_commands_come_first():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    assert "make repro" in first_block and "make test" in first_block
    assert README.index(START) < README.index(END)


def test_the_table_shows_the_params_file_values(tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("sentences:\n  clean: false\n", encoding="utf-8")
    table = params_table(params)
    assert "| `sentences.clean` | `false` |" in table
    assert "| `baseline.class_weight` | `balanced` | balanced \\| none |" in table


def stage_commands(text: str) -> list[tuple[str, str]]:
    """(stage, arguments) of every `-m pipeline.stages.<stage> ...` the text shows."""
    found = []
    for match in re.finditer(r"-m pipeline\.stages\.(\w+)((?: [\w./${}-]+)*)", text):
        args = match.group(2).split()
        if args and not args[-1].startswith("…"):
            found.append((match.group(1), " ".join(args)))
    return found


def test_every_stage_command_in_the_readme_matches_dvc_yaml():
    stages = yaml.safe_load((PROJECT_ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    shown = stage_commands(README)
    assert shown, "the README shows no stage command"
    for stage, args in shown:
        assert stage in stages, f"README names stage {stage}, which dvc.yaml lacks"
        assert stages[stage]["cmd"].endswith(f"-m pipeline.stages.{stage} {args}"), stage


def test_a_stale_stage_command_is_caught():
    stale = "`accelerate launch -m pipeline.stages.train_transformer data/x models/resolved.json`"
    stages = yaml.safe_load((PROJECT_ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    ((stage, args),) = stage_commands(stale)
    assert not stages[stage]["cmd"].endswith(f"-m pipeline.stages.{stage} {args}")


def layout_rows() -> dict[str, str]:
    """The repository layout table: path -> what the row says."""
    section = README.split("## Repository layout", 1)[1]
    rows = re.findall(r"^\| `([^`]+)` \| (.+) \|$", section, flags=re.M)
    return dict(rows)


def test_the_layout_table_names_every_module():
    rows = layout_rows()
    package = PROJECT_ROOT / "pipeline"
    folders = [package] + [p for p in sorted(package.iterdir()) if (p / "__init__.py").is_file()]
    missing = []
    for folder in folders:
        if folder.name == "stages":  # one script per DVC stage, checked against dvc.yaml
            continue
        row = rows.get(f"{folder.relative_to(PROJECT_ROOT)}/", "")
        missing += [
            f"{folder.name}/{m.stem}"
            for m in sorted(folder.glob("*.py"))
            if m.stem != "__init__" and f"`{m.stem}`" not in row
        ]
    assert not missing, f"README's layout table does not name {missing}"
