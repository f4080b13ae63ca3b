"""Scanned paper letters for the OCR tests and bench/ocr: a 函 laid out by the documents
module's own renderer (``rendering.Sheet`` → PDF), rasterised with pdftoppm and made to look
scanned — a slight rotation, grey speckle noise, a lighter page — with Pillow. Each letter
knows the fields it carries, so a reading can be scored field by field."""

from __future__ import annotations

import datetime as dt
import io
import random
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SENDERS = (
    "臺北市政府工務局",
    "臺北市政府交通局",
    "臺北市政府環境保護局",
    "臺北市政府社會局",
    "臺北市政府教育局",
    "臺北市政府衛生局",
    "臺北市政府民政局",
    "臺北市政府財政局",
)
PREFIXES = ("北市工建", "北市交工", "北市環綜", "北市社助", "北市教國", "北市衛醫", "北市民戶")
MATTERS = (
    "市政大樓節能改善工程",
    "本市道路挖掘管理自治條例修正草案",
    "115年度防汛演練",
    "市民服務中心櫃檯增設無障礙設施",
    "公有建築物耐震補強計畫",
    "本府各機關公務車輛汰換",
    "里鄰長聯繫會報會議紀錄",
    "資源回收宣導活動經費",
)
ASKS = ("請查照", "請查照並轉知所屬", "請惠予協助", "請於文到7日內回復", "請派員出席")
SPEEDS = {"最速件": "most_urgent", "速件": "urgent", "普通件": "normal"}
SECRECIES = {"普通": "none", "密": "secret", "機密": "confidential"}


@dataclass(frozen=True)
class Letter:
    sender: str
    number: str
    date: dt.date
    speed: str  # as printed
    secrecy: str  # as printed; "" for an ordinary letter
    subject: str

    @property
    def declassify(self) -> str:
        """The 解密條件 printed beside a confidential letter's 密等."""
        return f"本件至{self.date.year - 1911 + 1}年解密" if self.secrecy else ""

    def expected(self) -> dict[str, str]:
        """The fields a perfect reading returns (values as ``ocr.read_letter`` gives them)."""
        found = {
            "sender_name": self.sender,
            "sender_number": self.number,
            "sender_date": self.date.isoformat(),
            "speed": SPEEDS[self.speed],
            "secrecy": SECRECIES[self.secrecy or "普通"],
            "subject": self.subject,
        }
        if self.secrecy:
            found["declassify"] = self.declassify
        return found


def random_letter(rng: random.Random) -> Letter:
    year = rng.choice((114, 115))
    return Letter(
        sender=rng.choice(SENDERS),
        number=f"{rng.choice(PREFIXES)}字第{year}{rng.randrange(3000000, 3999999)}號",
        date=dt.date(year + 1911, rng.randrange(1, 13), rng.randrange(1, 29)),
        speed=rng.choice(tuple(SPEEDS)),
        secrecy=rng.choice(("", "", "", "密")),
        subject=f"有關{rng.choice(MATTERS)}一案，{rng.choice(ASKS)}。",
    )


def letter_pdf(letter: Letter) -> bytes:
    """The letter printed by the documents module's renderer (needs Django set up)."""
    from secretariat.core import roc
    from secretariat.documents import rendering
    from secretariat.documents.paragraphs import Line

    secrecy = (
        f"{letter.secrecy}（本件至{letter.date.year - 1911 + 1}年解密）" if letter.secrecy else ""
    )
    sheet = rendering.Sheet(
        doc_type="letter",
        heading=f"{letter.sender}　函",
        contact=["地址：臺北市信義區市府路1號", "承辦人：王小明", "電話：02-27208889"],
        facts=[
            ("受文者", "臺北市政府秘書處"),
            ("發文日期", roc.format_date(letter.date, "long")),
            ("發文字號", letter.number),
            ("速別", letter.speed),
            ("密等及解密條件或保密期限", secrecy),
            ("附件", ""),
        ],
        subject=letter.subject,
        sections=[
            rendering.Section(
                "說明",
                (
                    Line(0, "一、", "依據本府115年11月30日府授秘文字第1153000001號函辦理。"),
                    Line(0, "二、", "檢送相關資料1份，敬請參考。"),
                ),
            )
        ],
        originals=["臺北市政府秘書處"],
        signature=["局長　李大同"],
    )
    return rendering.pdf(sheet)


def rasterise(pdf: bytes, dpi: int = 200) -> bytes:
    """The PDF's first page as a grey PNG (pdftoppm), as a scanner at ``dpi`` would see it."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "in.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-gray", "-png", "in.pdf", "p"],
            cwd=folder,
            check=True,
        )
        return next(Path(folder).glob("p*.png")).read_bytes()


def scanned(png: bytes, rng: random.Random, *, skew: float = 1.0, noise: float = 0.02) -> bytes:
    """A page made to look scanned: rotated by up to ``skew`` degrees, a share ``noise`` of
    pixels speckled, the paper a little grey. PNG."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as page:
        page = page.convert("L").rotate(
            rng.uniform(-skew, skew), expand=True, fillcolor=255, resample=Image.BICUBIC
        )
        pixels = page.load()
        width, height = page.size
        for _ in range(int(width * height * noise)):
            x, y = rng.randrange(width), rng.randrange(height)
            pixels[x, y] = rng.choice((0, 90, 170))
        page = page.point(lambda value: min(value, 235))
        out = io.BytesIO()
        page.save(out, "PNG")
        return out.getvalue()


def as_pdf(png: bytes) -> bytes:
    """An image scan wrapped in a PDF, as a scanner's 'scan to PDF' writes it."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as page:
        out = io.BytesIO()
        page.convert("L").save(out, "PDF", resolution=200)
        return out.getvalue()
