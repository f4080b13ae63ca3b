"""Letters and packages for the exchange tests, made without the database: an
``OutgoingLetter`` as ``documents.selectors.outgoing_letter`` returns one."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from secretariat.documents.selectors import LetterFile, LetterRecipient, OutgoingLetter

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SENDER_CODE = "379130000C"
RECIPIENT_CODE = "379010000G"

SECTIONS = [
    [
        "說明",
        [
            {"text": "依據本府115年11月30日府授秘文字第1153000001號函辦理。"},
            {
                "text": "本案辦理情形如下：",
                "children": [{"text": "已完成場地勘查。"}, {"text": "預定12月中旬施作。"}],
            },
        ],
    ],
    ["辦法", [{"text": "請於115年12月20日前回復。"}]],
]


def letter(doc_type: str = "letter", **changes) -> OutgoingLetter:
    values = {
        "document": None,
        "doc_type": doc_type,
        "sender_name": "臺北市政府秘書處",
        "sender_code": SENDER_CODE,
        "prefix": "北市秘總",
        "year": 115,
        "serial": 3000012,
        "reference": "北市秘總字第1153000012號",
        "dispatched_on": dt.date(2026, 12, 7),
        "speed": "urgent",
        "secrecy": "none",
        "declassify": "",
        "subject": "有關市政大樓節能改善一案，復請查照。",
        "sections": SECTIONS if doc_type not in ("meeting_notice", "inspection_notice") else [],
        "meeting": {
            "time": "115年12月10日上午10時",
            "place": "市政大樓12樓會議室",
            "chair": "陳處長",
        }
        if doc_type in ("meeting_notice", "inspection_notice")
        else {},
        "contact": ["地址：臺北市信義區市府路1號", "承辦人：科員王小明", "電話：02-27208889"],
        "signature": ["處長　陳處長"],
        "recipients": [
            LetterRecipient("original", "臺北市政府民政局", RECIPIENT_CODE, "exchange", True, None),
            LetterRecipient("copy", "臺北市政府工務局", "379030000K", "exchange", False, None),
            LetterRecipient("copy", "某某股份有限公司", "", "post", True, None),
        ],
        "files": [LetterFile("節能改善計畫.pdf", "application/pdf", PDF)],
    }
    values.update(changes)
    return OutgoingLetter(**values)


def rezip(
    package: bytes, *, replace: dict | None = None, drop: tuple = (), add: dict | None = None
):
    """The package with members replaced, dropped or added."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            data = (replace or {}).get(info.filename, source.read(info))
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def member(package: bytes, suffix: str) -> tuple[str, bytes]:
    source = zipfile.ZipFile(io.BytesIO(package))
    name = next(n for n in source.namelist() if n.endswith(suffix))
    return name, source.read(name)
