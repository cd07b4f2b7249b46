"""`voxbox posters make|codes|repoint`: batches decode to their manifest URLs, all or nothing."""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from kiosk.core.db import db
from kiosk.outreach import tracking
from kiosk.outreach.models import TrackingCode
from tests.conftest import load_demo
from tests.print import pdfcheck

PUBLIC = "https://hub.example"
SLUG = "policing-priorities"
SIZES = {"a6": (105, 148), "a4": (210, 297), "six-sheet": (1200, 1800), "cutout": (400, 400)}
CSV = ("label,kind,location\n"
       "Stop 14 High St,bus_stop,High Street\n"
       "Library cutout,cutout,\n"
       "Leaflets Riverside,leaflet,Riverside estate\n")


@pytest.fixture
def hub(make_app: Callable[..., Flask]) -> Flask:
    """A hub with the demo consultations whose posters link to https://hub.example."""
    app = make_app("hub", PUBLIC_URL=PUBLIC)
    with app.app_context():
        load_demo()
    return app


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder for the CSV and the output, apart from the app's instance folder."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def make(hub: Flask, work: Path):  # type: ignore[no-untyped-def]
    """Run `voxbox posters make` on CSV text; returns the click result."""
    runner = hub.test_cli_runner()

    def run(text: str, fmt: str = "a6", out: Path | None = None, *extra: str):  # type: ignore[no-untyped-def]
        placements = work / "placements.csv"
        placements.write_text(text, encoding="utf-8")
        return runner.invoke(args=["posters", "make", "--consultation", SLUG, "--placements",
                                   str(placements), "--format", fmt,
                                   "--out", str(out or work / "out"), *extra])

    return run


def manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["code", "label", "kind", "url", "file"]
        return list(reader)


def code_count(app: Flask) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(TrackingCode)).scalar_one()


@pytest.mark.parametrize("fmt", ["a6", "a4", "six-sheet", "cutout"])
def test_a_batch_writes_a_pdf_per_placement_a_print_file_and_a_manifest(hub, make, work,
                                                                       fmt: str) -> None:
    out = work / "out"

    result = make(CSV, fmt, out)

    assert result.exit_code == 0, result.output
    rows = manifest(out)
    assert [(r["label"], r["kind"]) for r in rows] == [
        ("Stop 14 High St", "bus_stop"), ("Library cutout", "cutout"),
        ("Leaflets Riverside", "leaflet")]
    assert [r["url"] for r in rows] == [f"{PUBLIC}/q/{r['code']}" for r in rows]
    assert [r["file"] for r in rows] == [f"{r['code']}-{fmt}.pdf" for r in rows]
    combined = f"{SLUG}-{fmt}-all.pdf"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [r["file"] for r in rows] + [combined, "manifest.csv"])
    for row in rows:
        pdf = (out / row["file"]).read_bytes()
        assert pdfcheck.decoded(pdfcheck.rasterise(pdf)) == [row["url"]]
        assert pdfcheck.page_size_mm(pdf) == pytest.approx(SIZES[fmt], abs=0.01)
        assert row["code"] in pdfcheck.text(pdf)
    print_file = (out / combined).read_bytes()
    assert pdfcheck.page_count(print_file) == 3
    for index, row in enumerate(rows):
        assert pdfcheck.decoded(pdfcheck.rasterise(print_file, index=index)) == [row["url"]]
    with hub.app_context():
        stored = [tracking.get(r["code"]) for r in rows]
        assert [(t.consultation_slug, t.label, t.location) for t in stored] == [
            (SLUG, "Stop 14 High St", "High Street"), (SLUG, "Library cutout", None),
            (SLUG, "Leaflets Riverside", "Riverside estate")]
    assert "3 new tracking codes" in result.stdout
    assert f"print file: {out / combined}" in result.stdout


def test_bleed_and_welsh_first_reach_the_pdf(make, work) -> None:
    out = work / "out"

    result = make("label,kind\nStop 1,bus_stop\n", "a4", out, "--bleed", "--welsh-first")

    assert result.exit_code == 0, result.output
    [row] = manifest(out)
    pdf = (out / row["file"]).read_bytes()
    assert pdfcheck.page_size_mm(pdf) == pytest.approx((229, 316), abs=0.01)  # bleed and marks
    text = pdfcheck.text(pdf)
    assert text.index("Eich blaenoriaethau") < text.index("Your priorities for policing")


def test_a_bad_row_fails_with_its_line_number_and_writes_nothing(hub, make, work) -> None:
    before = code_count(hub)
    bad = CSV + "Lamp post 3,lamp_post,\n" + "Stop 20,bus_stop,\n"

    result = make(bad)

    assert result.exit_code == 1
    assert "placements.csv: line 5: kind 'lamp_post' is not one of" in result.stderr
    assert "nothing written" in result.stderr
    assert list(work.iterdir()) == [work / "placements.csv"]
    assert code_count(hub) == before


def test_a_poster_refused_after_codes_were_made_leaves_no_codes_and_no_files(hub, make,
                                                                            work) -> None:
    out = work / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    before = code_count(hub)

    result = make(CSV, "a4", out, "--qr-size", "50")

    assert result.exit_code == 1
    assert "at least 100 mm needed (pass --allow-small to override)" in result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["out", "placements.csv"]
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert code_count(hub) == before
    forced = make(CSV, "a4", out, "--qr-size", "50", "--allow-small")
    assert forced.exit_code == 0, forced.output
    assert code_count(hub) == before + 3


def test_a_failed_commit_leaves_no_files(hub, make, work, monkeypatch) -> None:
    def locked() -> None:
        raise RuntimeError("database is locked")

    before = code_count(hub)
    monkeypatch.setattr(db.session, "commit", locked)

    result = make(CSV)

    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    monkeypatch.undo()
    assert list(work.iterdir()) == [work / "placements.csv"]
    assert code_count(hub) == before


def test_codes_already_in_the_csv_are_reused(hub, make, work) -> None:
    with hub.app_context():
        existing = tracking.create(SLUG, "bus_stop", "Stop 14 (the hub's label)").code
    chosen = tracking.new_code()
    typed = f"{existing[:3].lower()}-{existing[3:]}"
    text = f"label,kind,code\nStop 14,bus_stop,{typed}\nNew stop,bus_stop,{chosen}\nCutout,cutout,\n"
    before = code_count(hub)

    result = make(text, "a5")

    assert result.exit_code == 0, result.output
    rows = manifest(work / "out")
    assert [r["code"] for r in rows[:2]] == [existing, chosen]
    assert rows[0]["label"] == "Stop 14 (the hub's label)"
    assert code_count(hub) == before + 2
    assert "2 new tracking codes" in result.stdout
    pdf = (work / "out" / f"{existing}-a5.pdf").read_bytes()
    assert pdfcheck.decoded(pdfcheck.rasterise(pdf)) == [f"{PUBLIC}/q/{existing}"]


def test_a_code_of_another_consultation_is_refused_by_line(hub, make, work) -> None:
    with hub.app_context():
        other = tracking.create("town-centre-safety", "bus_stop", "Elsewhere").code

    result = make(f"label,kind,code\nA,bus_stop,\nB,bus_stop,{other}\n")

    assert result.exit_code == 1
    assert f"line 3: code {other} points at town-centre-safety" in result.stderr
    assert not (work / "out").exists()


def test_stickers_put_each_placement_on_its_own_label(make, work) -> None:
    out = work / "out"
    text = "label,kind\n" + "".join(f"Lamp post {i},other\n" for i in range(25))

    result = make(text, "stickers", out)

    assert result.exit_code == 0, result.output
    rows = manifest(out)
    assert len({r["code"] for r in rows}) == 25
    assert [r["file"] for r in rows] == [f"{SLUG}-stickers-1.pdf"] * 21 + [f"{SLUG}-stickers-2.pdf"] * 4
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.csv", f"{SLUG}-stickers-1.pdf", f"{SLUG}-stickers-2.pdf",
        f"{SLUG}-stickers-all.pdf"]
    first = pdfcheck.decoded(pdfcheck.rasterise((out / rows[0]["file"]).read_bytes(), 1600))
    assert sorted(first) == sorted(r["url"] for r in rows[:21])
    second = pdfcheck.decoded(pdfcheck.rasterise((out / rows[-1]["file"]).read_bytes(), 1600))
    assert sorted(second) == sorted(r["url"] for r in rows[21:])
    assert pdfcheck.page_count((out / f"{SLUG}-stickers-all.pdf").read_bytes()) == 2


def test_png_output_for_the_web(make, work) -> None:
    out = work / "out"

    result = make(CSV, "a4", out, "--output-type", "png", "--png-width", "1200")

    assert result.exit_code == 0, result.output
    rows = manifest(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{r['code']}-a4.png" for r in rows] + ["manifest.csv"])  # no combined print file
    for row in rows:
        image = pdfcheck.png_image((out / row["file"]).read_bytes())
        assert image.size == (round(1200 * 210 / 297), 1200)
        assert pdfcheck.decoded(image) == [row["url"]]
    assert "print file" not in result.stdout


def test_svg_output_for_the_web(make, work) -> None:
    out = work / "out"

    result = make(CSV, "six-sheet", out, "--output-type", "svg")

    assert result.exit_code == 0, result.output
    for row in manifest(out):
        assert row["file"] == f"{row['code']}-six-sheet.svg"
        root = ET.fromstring((out / row["file"]).read_text(encoding="utf-8"))
        assert root.get("width") == "1200mm"
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert f"hub.example/q/{row['code']}" in texts
        assert sum(p.get("class") == "qr" for p in root.iter("{http://www.w3.org/2000/svg}path")) == 1


@pytest.mark.slow  # about 10 s on an idle machine
def test_a_500_row_batch_reports_progress(make, work) -> None:
    text = "label,kind\n" + "".join(f"Stop {i},bus_stop\n" for i in range(500))

    result = make(text, "a6")

    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "posters (a6, pdf)"
    assert lines[1:] == [f"{n}/500" for n in range(50, 501, 50)]
    assert len(manifest(work / "out")) == 500
    assert len(list((work / "out").iterdir())) == 502


def test_a_terminal_sees_the_click_progress_bar(hub, work) -> None:
    """A real process on a pseudo-terminal: the bar is drawn on stderr and reaches the end."""
    placements = work / "p.csv"
    placements.write_text("label,kind\n" + "".join(f"Stop {i},bus_stop\n" for i in range(12)))
    controller, terminal = pty.openpty()
    env = {**os.environ, "VOXBOX_INSTANCE": hub.instance_path, "VOXBOX_PUBLIC_URL": PUBLIC}
    voxbox = Path(sys.executable).with_name("voxbox")
    proc = subprocess.Popen([str(voxbox), "posters", "make", "--consultation", SLUG,
                             "--placements", str(placements), "--format", "a6",
                             "--out", str(work / "out")],
                            stdout=subprocess.PIPE, stderr=terminal, env=env)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    stdout = proc.communicate(timeout=120)[0].decode()
    os.close(controller)
    assert proc.returncode == 0, seen.decode(errors="replace")
    bar = seen.decode()
    drawn = re.findall(r"posters \(a6, pdf\)  \[([#-]+)\]  (\d+)/12", bar)
    assert drawn[0] == ("-" * len(drawn[0][0]), "0")
    assert drawn[-1] == ("#" * len(drawn[0][0]), "12")
    assert "/12" not in stdout
    assert len(manifest(work / "out")) == 12


def test_codes_lists_a_consultations_codes_with_scans(hub, make, work) -> None:
    assert make(CSV).exit_code == 0
    rows = manifest(work / "out")
    phone = hub.test_client()
    assert phone.get(f"/q/{rows[0]['code']}").status_code == 302
    assert phone.get(f"/q/{rows[0]['code']}").status_code == 302

    result = hub.test_cli_runner().invoke(args=["posters", "codes", SLUG])

    assert result.exit_code == 0, result.output
    listed = list(csv.reader(io.StringIO(result.stdout), delimiter="\t"))
    assert [row[0] for row in listed] == [r["code"] for r in rows]
    assert listed[0] == [rows[0]["code"], "bus_stop", "Stop 14 High St", "2"]
    assert listed[1] == [rows[1]["code"], "cutout", "Library cutout", "0"]
    missing = hub.test_cli_runner().invoke(args=["posters", "codes", "no-such-thing"])
    assert missing.exit_code == 1 and "no consultation 'no-such-thing'" in missing.stderr


def test_repoint_sends_new_scans_to_another_consultation(hub, make, work) -> None:
    assert make(CSV).exit_code == 0
    code = manifest(work / "out")[0]["code"]
    runner = hub.test_cli_runner()

    result = runner.invoke(args=["posters", "repoint", code.lower(), "your-neighbourhood"])

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{code} now points at your-neighbourhood\n"
    assert hub.test_client().get(f"/q/{code}").location == f"/c/your-neighbourhood?code={code}"
    refused = runner.invoke(args=["posters", "repoint", code, "no-such-thing"])
    assert refused.exit_code == 1 and "no consultation 'no-such-thing'" in refused.stderr
    closed = runner.invoke(args=["posters", "repoint", code, "town-centre-safety"])
    assert closed.exit_code == 1 and "town-centre-safety is not open" in closed.stderr
    with hub.app_context():
        assert tracking.get(code).consultation_slug == "your-neighbourhood"


def test_production_options_reach_the_print_file(make, work) -> None:
    out = work / "out"

    result = make(CSV, "six-sheet", out, "--preset", "adshel", "--bleed", "--no-marks",
                  "--workers", "2", "--proof")

    assert result.exit_code == 0, result.output
    rows = manifest(out)
    pdf = (out / rows[0]["file"]).read_bytes()
    assert pdfcheck.page_size_mm(pdf) == pytest.approx((1191, 1756), abs=0.01)  # trim + bleed
    combined = (out / f"{SLUG}-six-sheet-all.pdf").read_bytes()
    for i, row in enumerate(rows):
        assert pdfcheck.decoded(pdfcheck.rasterise(combined, 800, index=i)) == [row["url"]]
    assert "preflight: passed" in pdfcheck.text((out / "proof-six-sheet.pdf").read_bytes())


def test_welsh_first_by_default_on_a_welsh_hub_and_english_first_overrides(hub, make,
                                                                           work) -> None:
    hub.config["LANGUAGES"] = ["cy", "en"]

    assert make("label,kind\nStop 1,bus_stop\n", "a4", work / "cy").exit_code == 0
    assert make("label,kind\nStop 2,bus_stop\n", "a4", work / "en", "--english-first").exit_code == 0

    welsh = pdfcheck.text((work / "cy" / manifest(work / "cy")[0]["file"]).read_bytes())
    english = pdfcheck.text((work / "en" / manifest(work / "en")[0]["file"]).read_bytes())
    assert welsh.index("Eich blaenoriaethau") < welsh.index("Your priorities for policing")
    assert english.index("Your priorities for policing") < english.index("Eich blaenoriaethau")


def test_a_pale_brand_colour_is_refused_and_allow_small_names_its_waiver(make, work) -> None:
    pale = make(CSV, "a4", work / "pale", "--brand-colour", "#ffe066")
    small = make(CSV, "a4", work / "small", "--qr-size", "60", "--allow-small")

    assert pale.exit_code == 1
    assert "contrast ratio of 1.3:1" in pale.stderr and "--allow-low-contrast" in pale.stderr
    assert not (work / "pale").exists()
    assert small.exit_code == 0, small.output
    assert "--allow-small waives: QR code 60 mm wide is too small" in small.stderr


def test_alignment_writes_the_label_outlines(hub, work) -> None:
    out = work / "align.pdf"

    result = hub.test_cli_runner().invoke(args=["posters", "alignment", "--labels", "L7163",
                                                "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert "Alignment test: Avery L7163" in pdfcheck.text(out.read_bytes())
