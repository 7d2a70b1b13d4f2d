"""Check workbooks in real spreadsheet software: LibreOffice, poppler and the Open XML SDK validator.

Every function runs a real program and raises RuntimeError when that program is missing or fails,
so a test that uses them FAILS (never skips) on a machine without the tools. `.ci/run` installs them:
Debian's libreoffice-calc-nogui, poppler-utils and fonts-wqy-microhei, and `npm ci --prefix tests/node`.

Each LibreOffice call gets its own throwaway profile, so calls may run in parallel (pytest-xdist):
two soffice processes sharing one profile hand work to each other or block on its lock.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent / "node"
VALIDATOR_JS = NODE_DIR / "node_modules/@ooxml-tools/validate/dist/npm/bin/ooxml-validate.js"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

# Calc's load-time recalculation: 0 = always, 1 = never (LibreOffice's default: it keeps the cached
# values stored in the file), 2 = ask. Declared in LibreOffice's share/registry/main.xcd, group
# org.openoffice.Office.Calc/Formula/Load.
RECALC_ALWAYS_XCU = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

_INSTALL_HINT = {
    "soffice": "apt-get install libreoffice-calc-nogui",
    "pdftoppm": "apt-get install poppler-utils",
    "pdffonts": "apt-get install poppler-utils",
    "pdfinfo": "apt-get install poppler-utils",
    "pdftotext": "apt-get install poppler-utils",
    "node": "apt-get install nodejs",
}


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a tool without a shell; a missing tool or a timeout is a RuntimeError."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except FileNotFoundError as exc:
        hint = _INSTALL_HINT.get(cmd[0], "see .ci/run")
        raise RuntimeError(f"{cmd[0]} is not installed ({hint}; .ci/run installs it)") from exc
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"{cmd[0]} timed out after {timeout} s: {' '.join(cmd)}") from exc


def _checked(cmd: list[str], timeout: float) -> str:
    """Run a tool and return its stdout; a non-zero exit is a RuntimeError."""
    proc = _run(cmd, timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def require_tools() -> None:
    """Raise RuntimeError naming every real-client tool this machine lacks."""
    missing = [f"{tool} ({hint})" for tool, hint in _INSTALL_HINT.items() if shutil.which(tool) is None]
    if not CJK_FONT.is_file():
        missing.append(f"{CJK_FONT} (apt-get install fonts-wqy-microhei)")
    if not VALIDATOR_JS.is_file():
        missing.append(f"@ooxml-tools/validate (npm ci --prefix {NODE_DIR})")
    if missing:
        raise RuntimeError("missing real-client tools, which .ci/run installs: " + "; ".join(missing))


def _soffice_convert(
    src: Path, out_dir: Path, convert_to: str, suffix: str, timeout: float, recalculate: bool = True
) -> Path:
    """Convert src with LibreOffice headless in a fresh profile that recalculates on load (or, not
    ``recalculate``, keeps the cached values as LibreOffice does by default)."""
    src = src.resolve()
    if not src.is_file():
        raise FileNotFoundError(src)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir.resolve() / f"{src.stem}{suffix}"
    if out == src:
        raise ValueError(f"converting {src} into its own folder would overwrite it: pass another out_dir")
    out.unlink(missing_ok=True)  # soffice exits 0 even when it cannot load the file: look for the output
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        (Path(profile) / "user").mkdir()
        if recalculate:
            (Path(profile) / "user/registrymodifications.xcu").write_text(RECALC_ALWAYS_XCU, encoding="utf-8")
        cmd = ["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore"]
        cmd += ["--convert-to", convert_to, "--outdir", str(out.parent), str(src)]
        proc = _run(cmd, timeout)
    if proc.returncode != 0 or not out.is_file():
        raise RuntimeError(
            f"LibreOffice could not convert {src} to {convert_to} (exit {proc.returncode}): "
            f"{(proc.stdout + proc.stderr).strip()}"
        )
    return out


def recalculate(xlsx: Path, out_dir: Path, timeout: float = 120) -> Path:
    """Open an .xlsx/.xlsm in LibreOffice, recalculate every formula and save it as out_dir/<stem>.xlsx.

    Read the result with `openpyxl.load_workbook(path, data_only=True)` to see the computed values.
    """
    return _soffice_convert(xlsx, out_dir, "xlsx:Calc MS Excel 2007 XML", ".xlsx", timeout)


def save_as_csv(workbook: Path, out_dir: Path, timeout: float = 120) -> Path:
    """Save a workbook's first sheet as LibreOffice's Text CSV (comma, double quotes, UTF-8, cells as
    shown) to out_dir/<stem>.csv, as a user who opens a download and saves it again would."""
    return _soffice_convert(workbook, out_dir, "csv:Text - txt - csv (StarCalc):44,34,76,1", ".csv", timeout)


def render_pdf(xlsx: Path, out_dir: Path, timeout: float = 120, recalculate: bool = True) -> Path:
    """Print a workbook to out_dir/<stem>.pdf with LibreOffice: recalculated, or (not ``recalculate``)
    showing the values cached in the file, as a host without our worksheet functions does."""
    return _soffice_convert(xlsx, out_dir, "pdf", ".pdf", timeout, recalculate)


def pdf_text(pdf: Path, timeout: float = 60) -> str:
    """The text of a PDF, page by page in reading order (pdftotext -layout); pages end in a form feed."""
    return _checked(["pdftotext", "-layout", str(pdf), "-"], timeout)


def pdf_pages_to_png(pdf: Path, out_dir: Path, dpi: int = 60, timeout: float = 60) -> list[Path]:
    """Render each PDF page to out_dir/<stem>-<n>.png with pdftoppm; return them in page order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    page = re.compile(rf"{re.escape(pdf.stem)}-(\d+)\.png")

    def pages() -> list[Path]:
        found = [(int(m[1]), p) for p in out_dir.iterdir() if (m := page.fullmatch(p.name))]
        return [p for _, p in sorted(found)]

    for old in pages():
        old.unlink()
    _checked(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_dir / pdf.stem)], timeout)
    return pages()


def pdf_fonts(pdf: Path, timeout: float = 60) -> list[str]:
    """Names of the fonts a PDF uses, as pdffonts lists them (e.g. 'CAAAAA+WenQuanYiMicroHei')."""
    lines = _checked(["pdffonts", str(pdf)], timeout).splitlines()
    # A header line, a line of dashes whose first run is as wide as the name column, then one font a line.
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    width = len(lines[rule].split(" ")[0])
    return [line[:width].strip() for line in lines[rule + 1 :] if line.strip()]


def pdf_unembedded_fonts(pdf: Path, timeout: float = 60) -> list[str]:
    """Fonts a PDF uses without embedding them (pdffonts' "emb" column says no): a reader without
    them substitutes its own."""
    lines = _checked(["pdffonts", str(pdf)], timeout).splitlines()
    header = next(line for line in lines if line.startswith("name"))
    emb = header.index(" emb ") + 1
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    return [line.split()[0] for line in lines[rule + 1 :] if line.strip() and line[emb : emb + 3] != "yes"]


def pdf_page_texts(pdf: Path, timeout: float = 60) -> list[str]:
    """Each page's text as pdftotext lays it out (columns kept apart by spaces)."""
    pages = _checked(["pdftotext", "-layout", str(pdf), "-"], timeout).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_page_count(pdf: Path, timeout: float = 60) -> int:
    """Number of pages in a PDF, from pdfinfo."""
    m = re.search(r"^Pages:\s+(\d+)$", _checked(["pdfinfo", str(pdf)], timeout), re.MULTILINE)
    if m is None:
        raise RuntimeError(f"pdfinfo printed no page count for {pdf}")
    return int(m[1])


# openpyxl writes a <font>'s children as name, charset, family, b, i, strike, ..., color, sz, u, vertAlign,
# scheme. ECMA-376 (sml.xsd CT_Font, an xsd:choice maxOccurs="unbounded") allows any order, and Excel opens
# such files; the Open XML SDK checks Excel's own order (b, i, strike, condense, extend, outline, shadow, u,
# vertAlign, sz, color, name, family, charset, scheme) and reports the first child out of it, e.g.
#   /xl/styles.xml /x:styleSheet[1]/x:fonts[1]/x:font[1]: Sch_UnexpectedElementContentExpectingComplex:
#   The element has unexpected child element 'http://schemas.openxmlformats.org/spreadsheetml/2006/main:color'.
# Only that message, on a <font> directly under <fonts> in /xl/styles.xml, is dropped.
_FONT_CHILD = "b|i|strike|condense|extend|outline|shadow|u|vertAlign|sz|color|name|family|charset|scheme"
_OPENPYXL_FONT_ORDER = re.compile(
    r"The element has unexpected child element "
    rf"'http://schemas\.openxmlformats\.org/spreadsheetml/2006/main:({_FONT_CHILD})'\."
)


def _is_openpyxl_font_order(error: dict) -> bool:
    return (
        error["id"] == "Sch_UnexpectedElementContentExpectingComplex"
        and error["path"]["partUri"] == "/xl/styles.xml"
        and re.fullmatch(r"/x:styleSheet\[1\]/x:fonts\[1\]/x:font\[\d+\]", error["path"]["xpath"]) is not None
        and _OPENPYXL_FONT_ORDER.fullmatch(error["description"]) is not None
    )


def validate_ooxml(
    path: Path,
    office_version: str = "Microsoft365",
    ignore_openpyxl_font_order: bool = True,
    timeout: float = 120,
) -> list[str]:
    """Validate an .xlsx/.xlsm/.docx/.pptx with the Open XML SDK (WebAssembly); return its errors, [] = valid.

    Each error reads '<part> <xpath>: <id>: <description>'. A package the SDK cannot even open (dangling
    relationship, wrong content type, not a zip) yields one error 'package: <SDK exception message>'.
    """
    if not path.is_file():
        raise FileNotFoundError(path)
    if not VALIDATOR_JS.is_file():
        raise RuntimeError(f"@ooxml-tools/validate is not installed: run npm ci --prefix {NODE_DIR}")
    cmd = ["node", str(VALIDATOR_JS), "--output-format", "json", "--ov", office_version, str(path)]
    proc = _run(cmd, timeout)
    if proc.returncode != 0:
        # The CLI exits 0 whatever it finds, and 1 (after printing its usage) when the SDK throws.
        m = re.search(r"^Error: (.*?)\n\s+at ", proc.stderr, re.MULTILINE | re.DOTALL)
        if m is None:
            detail = proc.stderr.strip()
            raise RuntimeError(f"ooxml-validate failed on {path} (exit {proc.returncode}): {detail}")
        return ["package: " + " ".join(m[1].split())]
    errors = json.loads(proc.stdout)
    if ignore_openpyxl_font_order:
        errors = [e for e in errors if not _is_openpyxl_font_order(e)]
    return [f"{e['path']['partUri']} {e['path']['xpath']}: {e['id']}: {e['description']}" for e in errors]
