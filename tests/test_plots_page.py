"""The DVC plots page as a person sees it: rendered offline, one confusion matrix per model."""

from __future__ import annotations

import collections
import csv
import os
import re
import subprocess
from pathlib import Path

import pytest
from test_mlflow_ui import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MODELS = ("baseline", "transformer", "ensemble")


def confusion_counts(path: Path) -> list[int]:
    with open(path, encoding="utf-8") as fh:
        cells = collections.Counter((r["actual"], r["predicted"]) for r in csv.DictReader(fh))
    return sorted(cells.values())


def test_the_plots_page_works_offline_and_shows_each_models_own_counts(fixture_pipeline):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make test installs it when it can)")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    root = fixture_pipeline.root
    subprocess.run(
        ["dvc", "plots", "show"],  # the project's .dvc/config names the offline template
        cwd=root,
        env=fixture_pipeline.env,
        check=True,
        capture_output=True,
    )
    page_file = root / "plots" / "page" / "index.html"
    html = page_file.read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in html and "../vendor/vega.min.js" in html
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    remote = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route(
            re.compile(r"^https?://"),
            lambda route: (remote.append(route.request.url), route.abort()),
        )
        page.goto(page_file.as_uri())
        page.wait_for_function("document.querySelectorAll('svg.marks').length >= 7", timeout=60_000)
        for model in MODELS:
            title = f"{model} - headline test confusion matrix"
            plot = page.locator("div[id]", has=page.locator(f"text={title}")).last
            plot.locator("input[type=checkbox]").check()  # the template's "showValues" toggle
            page.wait_for_timeout(300)
            texts = plot.locator("svg g.mark-text.role-mark text").all_text_contents()
            shown = sorted(int(t) for t in texts if t.strip().isdigit() and int(t) > 0)
            expected = confusion_counts(root / "plots" / model / "confusion.csv")
            assert shown[-len(expected) :] == expected or shown == expected, (
                model,
                shown,
                expected,
            )
        page.screenshot(path=SCREENSHOTS / "dvc_plots_offline.png", full_page=True)
        browser.close()
    assert remote == []  # nothing asked the network
    assert os.path.getsize(SCREENSHOTS / "dvc_plots_offline.png") > 10_000
