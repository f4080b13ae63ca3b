"""OCR of a scanned paper letter (文件登錄) and the reading of its heading fields — no Django.

Tesseract (Debian ``tesseract-ocr`` with ``tesseract-ocr-chi-tra``) and Poppler's ``pdftoppm``
are called as programs, offline: a subprocess each, in a temporary folder, with a time limit.
Why not pytesseract: it is itself a wrapper that writes temporary files and runs the same
program; calling it directly is a few lines, adds no dependency and lets us read the TSV
output (each word's confidence) without its parsing layer.

Only the first page is read: a 函's heading (機關, 發文日期, 發文字號, 速別, 密等) and its 主旨
are on the first page by the 文書處理手冊's layout, and each further page would cost as much
again (docs/assist.md, "文件登錄")."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DPI = 300  # Tesseract's models are trained on text of about 20–30 px per line; 300 dpi gives it
LANGUAGES = "chi_tra+eng"
# A single column of text of several sizes (the heading is larger): a 函's page. On the
# generated scans 4 and 6 (one uniform block) read the same fields; 4 was a little faster.
PAGE_SEGMENTATION = "4"
# A 3×3 median filter before OCR takes out a scanner's speckle: on the generated scans (2% of
# pixels speckled) it took the fields read from 8 of 24 to all of them, and Tesseract's time
# from 4–7 s to about 1.5 s a page (docs/assist.md).
MEDIAN = 3
SCAN_PIXELS = 1200 * 1600  # an embedded image this large is the page's scan (150 dpi A4)
# A line of the heading block read below this confidence, or without a Chinese character,
# is read again on its own; the block is the first RETRY_LINES lines, RETRIES at most a page.
RETRY_BELOW = 0.6
RETRY_LINES = 12
RETRIES = 4
TIME_LIMIT = 60  # seconds a program may take on one page before the reading is given up
# Tesseract's OpenMP threads cost more than they save on a shared machine: one page took
# 3.8 s with them and 2.1 s on one thread (2 cores, other work running); a page is read
# on one core, and several clerks' pages run side by side.
NAME_MATCH = 0.6  # the least similarity at which a heading names a registry agency
HEADING_GUESS = 0.85  # … and at which a line without its document kind is taken for the heading

# What OCR confuses in the digits of a date or a 字號.
_DIGITS = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1", "S": "5"})
# Heading words of the document kinds a clerk registers; the name is what comes before.
_KINDS = ("開會通知單", "書函", "公告", "函", "令")
_SECTION_STARTS = ("說明", "辦法", "公告事項", "正本", "副本", "依據")
_ITEM = r"^[一二三四五六七八九十]+、"  # a numbered item of 說明: the 主旨 has ended


class OcrUnavailable(RuntimeError):
    """Tesseract or pdftoppm is not installed, or failed on the file."""


@dataclass(frozen=True)
class OcrLine:
    """One line of the page as Tesseract read it; ``confidence`` in 0–1 (its words' mean)."""

    text: str
    confidence: float


@dataclass(frozen=True)
class FieldReading:
    """A field read from the page: its value (ISO date for 發文日期, a choice's value for
    速別 and 密等), how sure the reading is (0–1) and the text it was read from."""

    value: str
    confidence: float
    source: str


def available() -> bool:
    return all(shutil.which(program) for program in ("tesseract", "pdftoppm", "pdfimages"))


def _run(arguments: Sequence[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(
            list(arguments),
            cwd=cwd,
            capture_output=True,
            timeout=TIME_LIMIT,
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except FileNotFoundError as missing:
        raise OcrUnavailable(f"{arguments[0]} is not installed") from missing
    except subprocess.TimeoutExpired as slow:
        raise OcrUnavailable(f"{arguments[0]} took over {TIME_LIMIT} s") from slow
    if done.returncode != 0:
        raise OcrUnavailable(done.stderr.decode(errors="replace")[-500:])
    return done.stdout


def first_page_image(data: bytes, content_type: str, folder: Path) -> Path:
    """The file's first page as the image Tesseract reads: a PDF rasterised at ``DPI`` in
    grey (a scanner's PDF: its page image), in grey with the speckle filtered out (``MEDIAN``)."""
    from PIL import Image, ImageFilter, UnidentifiedImageError

    if content_type == "application/pdf":
        (folder / "scan.pdf").write_bytes(data)
        source = _scanned_image(folder)
        if source is None:
            _run(
                ["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-gray", "-png"]
                + ["scan.pdf", "page"],
                folder,
            )
            pages = sorted(folder.glob("page*.png"))
            if not pages:
                raise OcrUnavailable("pdftoppm wrote no page")
            source = pages[0]
    else:
        source = folder / "scan.img"
        source.write_bytes(data)
    path = folder / "clean.png"
    try:
        with Image.open(source) as page:
            page.convert("L").filter(ImageFilter.MedianFilter(MEDIAN)).save(path)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as bad:
        raise OcrUnavailable(f"not an image: {bad}") from bad
    return path


def _scanned_image(folder: Path) -> Path | None:
    """A scanner's PDF is one image a page: that image as it was scanned (``pdfimages``), or
    None for a PDF whose first page is not one large image (a printed letter's PDF, which
    is rasterised instead). Rasterising a scan again at another resolution enlarges its
    speckle past what the median filter removes: on the generated 200-dpi scans wrapped in
    PDFs that took Tesseract from about 1 to 10 CPU-seconds a page."""
    _run(["pdfimages", "-f", "1", "-l", "1", "-png", "scan.pdf", "embedded"], folder)
    from PIL import Image

    largest, area = None, 0
    for path in folder.glob("embedded*.png"):
        with Image.open(path) as image:
            if image.width * image.height > area:
                largest, area = path, image.width * image.height
    return largest if area >= SCAN_PIXELS else None


def _joined(words: Sequence[str]) -> str:
    """Words of a line: Chinese runs without spaces, a space only between Latin words."""
    text = ""
    for word in words:
        if text and text[-1].isascii() and text[-1].isalnum() and word[:1].isascii():
            text += " "
        text += word
    return text


def _lines(image: Path, languages: str, segmentation: str) -> list[tuple[OcrLine, tuple]]:
    """Tesseract's TSV (one row a word) as lines with their confidence and their box
    (top, bottom) on the page."""
    out = _run(
        ["tesseract", image.name, "stdout", "-l", languages, "--psm", segmentation, "tsv"],
        image.parent,
    )
    lines: dict[tuple[str, str, str], list[tuple[str, float, int, int]]] = {}
    rows = csv.DictReader(io.StringIO(out.decode("utf-8", "replace")), delimiter="\t")
    for row in rows:
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word:
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        top, height = int(row["top"]), int(row["height"])
        confidence = max(float(row["conf"]), 0.0) / 100
        lines.setdefault(key, []).append((word, confidence, top, top + height))
    return [
        (
            OcrLine(_joined([w[0] for w in words]), sum(w[1] for w in words) / len(words)),
            (min(w[2] for w in words), max(w[3] for w in words)),
        )
        for words in lines.values()
    ]


def _chinese_confidence(line: OcrLine) -> float:
    """The line's confidence, or 0 when it has no Chinese character (a misread line)."""
    return line.confidence if re.search(r"[\u4e00-\u9fff]", line.text) else 0.0


def _unsure(line: OcrLine) -> bool:
    return _chinese_confidence(line) < RETRY_BELOW


def recognise(image: Path) -> list[OcrLine]:
    """The page's lines with their confidence. A line of the heading block (the first
    ``RETRY_LINES``: the agency's name, printed larger, and the short fields 速別, 密等) that
    was read unsure or without a Chinese character is read again on its own, in Chinese
    only, at most ``RETRIES`` lines a page: on speckled scans the page's reading sometimes
    made 「速別：速件」 or the heading Latin letters while the line alone read right."""
    from PIL import Image

    found = _lines(image, LANGUAGES, PAGE_SEGMENTATION)
    unsure = [i for i, (line, _) in enumerate(found[:RETRY_LINES]) if _unsure(line)][:RETRIES]
    if unsure:
        band = image.with_name("line.png")
        with Image.open(image) as page:
            for i in unsure:
                top, bottom = found[i][1]
                box = (0, max(0, top - 10), page.width, min(page.height, bottom + 10))
                page.crop(box).save(band)
                again = [line for line, _ in _lines(band, "chi_tra", "7")]
                if again and _chinese_confidence(again[0]) > max(
                    RETRY_BELOW, _chinese_confidence(found[i][0])
                ):
                    found[i] = (again[0], found[i][1])
    return [line for line, _ in found]


def read_page(data: bytes, content_type: str) -> list[OcrLine]:
    """OCR of the first page of a PDF, PNG or JPEG scan."""
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        return recognise(first_page_image(data, content_type, Path(folder)))


# --- Reading the fields -------------------------------------------------------------------


def _normal(text: str) -> str:
    """Full-width colons and spaces as ASCII; spaces between Chinese characters dropped (OCR
    puts them where the print has wide spacing)."""
    text = text.replace("：", ":").replace("\u3000", " ").replace("﹕", ":")
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text).strip()


def _start(line: str) -> str:
    """The line from its first Chinese character (a scan's specks read as 「1」「_」 before it)."""
    found = re.search(r"[\u4e00-\u9fff]", line)
    return line[found.start() :] if found else ""


def _after_label(line: str, label: str) -> str | None:
    """What follows 「label:」 on a line that starts with the label (OCR may drop the colon)."""
    line = _start(line)
    if not line.startswith(label):
        return None
    return line[len(label) :].lstrip(":;.").strip()


def _punctuated(text: str) -> str:
    """ASCII commas and semicolons OCR reads in Chinese text as the full-width ones printed."""
    text = re.sub(r"(?<=[^\x00-\x7f]),|,(?=[^\x00-\x7f])", "，", text)
    return re.sub(r"(?<=[^\x00-\x7f]);|;(?=[^\x00-\x7f])", "；", text)


def match_agency(name: str, names: Mapping[str, str]) -> tuple[str, float] | None:
    """The registry name closest to ``name`` (``names``: every name → its code) and the
    similarity, or None below ``NAME_MATCH``."""
    if not name:
        return None
    if name in names:
        return name, 1.0
    best, score = None, 0.0
    for known in names:
        ratio = difflib.SequenceMatcher(None, name, known, autojunk=False).ratio()
        if ratio > score:
            best, score = known, ratio
    return (best, score) if best is not None and score >= NAME_MATCH else None


def _sender(lines: Sequence[OcrLine], names: Mapping[str, str]) -> FieldReading | None:
    """The heading 「臺北市政府工務局　函」: the agency before the document kind, matched to the
    registry. When the kind was misread (函 as 囤), a heading line whose text less its last
    character is close to a registry name still names it, at a lower confidence."""
    for line in lines[:6]:
        text = re.sub(r"[^\u4e00-\u9fff]+$", "", _start(_normal(line.text)))
        text = re.sub(r"[^\u4e00-\u9fff]", "", text)
        for kind in _KINDS:
            if text.endswith(kind) and len(text) > len(kind) + 1:
                heading = text[: -len(kind)]
                matched = match_agency(heading, names)
                if matched is None:
                    return FieldReading(heading, line.confidence * 0.5, line.text)
                return FieldReading(matched[0], line.confidence * matched[1], line.text)
    for line in lines[:3]:
        text = re.sub(r"[^\u4e00-\u9fff]", "", _normal(line.text))
        matched = match_agency(text[:-1], names)
        if matched is not None and matched[1] >= HEADING_GUESS:
            return FieldReading(matched[0], line.confidence * matched[1] * 0.8, line.text)
    return None


def _date(lines: Sequence[OcrLine]) -> FieldReading | None:
    for line in lines:
        value = _after_label(_normal(line.text), "發文日期")
        if value is None:
            continue
        found = re.search(r"(\d{2,3})年(\d{1,2})月(\d{1,2})日", value.translate(_DIGITS))
        if found is None:
            return None
        year, month, day = (int(part) for part in found.groups())
        try:
            date = dt.date(year + 1911, month, day)
        except ValueError:
            return None
        return FieldReading(date.isoformat(), line.confidence, line.text)
    return None


def _number(lines: Sequence[OcrLine]) -> FieldReading | None:
    for line in lines:
        value = _after_label(_normal(line.text), "發文字號")
        if value is None:
            continue
        value = re.sub(r"\s+", "", value)
        found = re.search(r"(.+?字第)([0-9A-Za-z|〇]+)(號)", value)
        if found is None:
            return FieldReading(value, line.confidence * 0.5, line.text) if value else None
        number = found.group(1) + found.group(2).translate(_DIGITS) + found.group(3)
        return FieldReading(number, line.confidence, line.text)
    return None


def _choice(
    lines: Sequence[OcrLine], labels: Sequence[str], choices: Mapping[str, str], empty: str | None
) -> FieldReading | None:
    """A 速別 or 密等: the longest choice label found after the field's label (the first of
    ``labels`` the line starts with); ``empty``: the value when the field is printed blank
    (密等 of an ordinary letter)."""
    for line in lines:
        text = _normal(line.text)
        value = next(
            (v for v in (_after_label(text, label) for label in labels) if v is not None), None
        )
        if value is None:
            continue
        for shown in sorted(choices, key=len, reverse=True):
            if value.startswith(shown):
                return FieldReading(choices[shown], line.confidence, line.text)
        if empty is not None and not re.search(r"[\u4e00-\u9fff]", value):
            return FieldReading(empty, line.confidence, line.text)
        return None
    return None


def _subject_from(lines: Sequence[OcrLine], at: int, value: str) -> FieldReading | None:
    used = [lines[at]]
    for more in lines[at + 1 :]:
        text = _start(_normal(more.text))
        if not text or text.startswith(_SECTION_STARTS) or re.match(_ITEM, text):
            break
        value += text
        used.append(more)
    # The 主旨 ends its sentence with 「。」; what a merged line carries after it is not it.
    value = _punctuated(value)
    if "。" in value:
        value = value[: value.index("。") + 1]
    if not value:
        return None
    confidence = sum(u.confidence for u in used) / len(used)
    return FieldReading(value, confidence, " ".join(u.text for u in used))


def _subject(lines: Sequence[OcrLine]) -> FieldReading | None:
    """The 主旨 and its continuation lines. When its label was misread, the line after 附件
    (the field printed just before it) is taken, at a lower confidence."""
    for at, line in enumerate(lines):
        value = _after_label(_normal(line.text), "主旨")
        if value is not None:
            return _subject_from(lines, at, value)
    for at, line in enumerate(lines[:-1]):
        if _after_label(_normal(line.text), "附件") is not None:
            text = _normal(lines[at + 1].text)
            colon = text.find(":")
            value = _start(text[colon + 1 :] if 0 <= colon <= 5 else text)
            found = _subject_from(lines, at + 1, value)
            if found is None:
                return None
            return FieldReading(found.value, found.confidence * 0.7, found.source)
    return None


def read_letter(
    lines: Sequence[OcrLine],
    agency_names: Mapping[str, str],
    speeds: Mapping[str, str],
    secrecies: Mapping[str, str],
    no_secrecy: str,
) -> dict[str, FieldReading]:
    """The 收文 fields found on the page: ``sender_name`` (the heading's agency, matched to
    ``agency_names``), ``sender_date``, ``sender_number``, ``speed``, ``secrecy`` and
    ``subject`` (and ``declassify``, the 解密條件 beside a 密等). ``speeds``/``secrecies`` map each label as printed (速件, 密) to its value;
    a field not found is left out."""
    found = {
        "sender_name": _sender(lines, agency_names),
        "sender_date": _date(lines),
        "sender_number": _number(lines),
        "speed": _choice(lines, ("速別",), speeds, None),
        "secrecy": _choice(lines, ("密等及解密條件或保密期限", "密等"), secrecies, no_secrecy),
        "subject": _subject(lines),
    }
    secrecy = found["secrecy"]
    if secrecy is not None and secrecy.value != no_secrecy:
        # 「密（本件至116年解密）」: the 解密條件 printed beside the 密等
        note = re.search(r"[（(]([^）)]+)[）)]?", _normal(secrecy.source))
        if note:
            found["declassify"] = FieldReading(note.group(1), secrecy.confidence, secrecy.source)
    return {name: reading for name, reading in found.items() if reading is not None}
