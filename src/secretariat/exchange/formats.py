"""The exchange formats of 「文書及檔案管理電腦化作業規範」 (104年版): the document instance (DI),
the 交換表單 (SW) and the package (zip) that carries them with the attachments.

Writing (``package_for``): a dispatched document becomes one DI that validates against its
文別's DTD (``dtd/``), one SW naming every 電子交換 recipient by 全銜 and 機關代碼, and its
attachments, each declared in the DI as an unparsed entity (``<!ENTITY ATTCH1 SYSTEM "…"
NDATA DI>``, named by ``附件檔名 附件名="ATTCH1"``). File names follow one rule (``names``).

Reading (``read_package``): the one path every incoming package takes — an external one
uploaded by a 收發 or through the API, and one sent inside the platform. Nothing in a package
is trusted: the zip's member names and sizes are checked before a byte is read, sizes are
bounded while reading (a member that lies about its size is caught), the XML is parsed
without resolving entities, without the network and without lxml's huge-tree mode, and a
DI declaring any internal entity (the billion-laughs attack) is refused before validation.
Every refusal names the element and the line (``PackageRefused``)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

from secretariat.core import roc
from secretariat.core.models import OFFICIAL_CODE_PATTERN
from secretariat.core.text import text_problem
from secretariat.core.uploads import max_upload_bytes
from secretariat.documents.selectors import (
    CopyKind,
    DeliveryMethod,
    DocType,
    OutgoingLetter,
    Secrecy,
    Speed,
    item_label,
)

DTD_DIR = Path(__file__).parent / "dtd"
# 文別 → (root element, DTD file). 書函 shares the 函 DTD, told apart by 函類別.
FORMATS: dict[str, tuple[str, str]] = {
    DocType.ORDER: ("令", "104_1_utf8.dtd"),
    DocType.LETTER: ("函", "104_2_utf8.dtd"),
    DocType.BRIEF_LETTER: ("函", "104_2_utf8.dtd"),
    DocType.ANNOUNCEMENT: ("公告", "104_4_utf8.dtd"),
    DocType.MEMO: ("簽", "104_5_utf8.dtd"),
    DocType.MEETING_NOTICE: ("開會通知單", "104_6_utf8.dtd"),
    DocType.INSPECTION_NOTICE: ("會勘通知單", "104_7_utf8.dtd"),
}
ROSTER_DTD = "104_roster_utf8.dtd"
# 文別 addressed through a 交換表單 (a 簽 and a 公告 are not addressed).
ADDRESSED = (
    DocType.ORDER,
    DocType.LETTER,
    DocType.BRIEF_LETTER,
    DocType.MEETING_NOTICE,
    DocType.INSPECTION_NOTICE,
)
NOTICE_ELEMENTS = {
    DocType.MEETING_NOTICE: "開會",
    DocType.INSPECTION_NOTICE: "會勘",
}
# The meeting fields after 事由/時間/地點, as the notices' DTDs order them (content key → element).
NOTICE_FIELDS = (
    ("chair", "主持人"),
    ("contact", "聯絡人及電話"),
    ("attendees", "出席者"),
    ("observers", "列席者"),
)
NOTATION = "DI"
ROSTER_ENTITY = "表單"
MEMBERS_MAX = 52  # the DI, the SW and at most 50 attachments (documents' ATTACHMENTS_MAX)
XML_MAX_BYTES = 2 * 1024 * 1024  # a DI or SW is text: 2 MB is far beyond any real one
SECTION_TEXT_MAX = 20_000
_CODE = re.compile(OFFICIAL_CODE_PATTERN)
_SAFE_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,120}$")


class PackageRefused(Exception):
    """A package that cannot be received (退文): what is wrong, where (element, line), and
    the sender when the package got far enough to name one."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        element: str = "",
        line: int | None = None,
        sender_code: str = "",
        sender_name: str = "",
    ) -> None:
        where = ""
        if line is not None:
            where = f"第{line}行" + (f"（元素「{element}」）" if element else "") + "："
        elif element:
            where = f"元素「{element}」："
        super().__init__(where + message)
        self.code = code
        self.element = element
        self.line = line
        self.sender_code = sender_code
        self.sender_name = sender_name

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class RosterEntry:
    """A recipient in the 交換表單."""

    name: str
    code: str
    copy: str  # CopyKind
    with_attachments: bool = True


@dataclass(frozen=True)
class IncomingFile:
    name: str
    data: bytes


@dataclass
class Incoming:
    """What a valid package carries: the 來文 ready to become a 收文."""

    doc_type: str
    sender_name: str
    sender_code: str
    sender_number: str
    sender_date: dt.date | None
    speed: str
    secrecy: str
    declassify: str
    subject: str
    sections: list = field(default_factory=list)
    meeting: dict = field(default_factory=dict)
    recipients: list[RosterEntry] = field(default_factory=list)
    files: list[IncomingFile] = field(default_factory=list)
    # Where the DI names the sender's code and the SW (for refusals made after reading).
    sender_line: int | None = None
    roster_line: int | None = None


# --- Names ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageNames:
    """File names by one rule: ``{發文機關代碼}{文號}`` then ``.di``, ``.sw``, and
    ``_ATTCH{n}`` with the attachment's own extension for the n-th attachment."""

    base: str

    @classmethod
    def of(cls, sender_code: str, year: int, serial: int) -> PackageNames:
        return cls(f"{sender_code}{year:03d}{serial:07d}")

    @property
    def di(self) -> str:
        return f"{self.base}.di"

    @property
    def sw(self) -> str:
        return f"{self.base}.sw"

    @property
    def package(self) -> str:
        return f"{self.base}.zip"

    def attachment(self, n: int, original: str) -> str:
        suffix = Path(original).suffix.lower()
        suffix = suffix if re.fullmatch(r"\.[0-9a-z]{1,8}", suffix) else ""
        return f"{self.base}_ATTCH{n}{suffix}"


# --- Writing -------------------------------------------------------------------------------------


_PARAMETER_ENTITY = re.compile(r'<!ENTITY % (\S+) SYSTEM "([^"]+)">\s*%\1;')
_ENTITY_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fff][0-9A-Za-z_\u4e00-\u9fff]{0,40}$")


@cache
def dtd_text(name: str) -> str:
    """A DTD file with its tag sets (parameter entities naming files of ``dtd/``) written in,
    so it can be joined with a document's own declarations."""
    text = (DTD_DIR / name).read_text(encoding="utf-8")
    return _PARAMETER_ENTITY.sub(lambda m: dtd_text(m.group(2)), text)


@cache
def dtd(name: str) -> etree.DTD:
    return etree.DTD(io.StringIO(dtd_text(name)))


def _declared(tree) -> list[tuple[str, str]]:
    internal = tree.docinfo.internalDTD
    return [(e.name, e.system_url) for e in internal.iterentities()] if internal is not None else []


def _sub(parent, tag: str, text: str | None = None, **attributes: str):
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _agency(parent, tag: str, name: str, code: str) -> None:
    element = _sub(parent, tag)
    _sub(element, "全銜", name)
    _sub(element, "機關代碼", code)


def _date(parent, tag: str, day: dt.date) -> None:
    _sub(_sub(parent, tag), "年月日", roc.format_date(day, "long"))


def _number(parent, letter: OutgoingLetter) -> None:
    number = _sub(parent, "發文字號")
    _sub(number, "字", letter.prefix)
    inner = _sub(number, "文號")
    _sub(inner, "年度", f"{letter.year:03d}")
    _sub(inner, "流水號", f"{letter.serial:07d}")


def _secrecy(parent, letter: OutgoingLetter) -> None:
    element = _sub(parent, "密等及解密條件或保密期限")
    _sub(element, "密等", 代碼=Secrecy(letter.secrecy).label)
    if letter.secrecy != Secrecy.NONE and letter.declassify:
        _sub(element, "解密條件或保密期限", letter.declassify)


def _items(parent, items: list, level: int) -> None:
    for n, item in enumerate(items, start=1):
        row = _sub(parent, "條列", 序號=item_label(level, n))
        _sub(row, "文字", item["text"])
        _items(row, item.get("children", []), level + 1)


def _sections(parent, letter: OutgoingLetter) -> None:
    for title, items in letter.sections:
        section = _sub(parent, "段落", 段名=title)
        if len(items) == 1 and not items[0].get("children"):
            _sub(section, "文字", items[0]["text"])
        else:
            _items(section, items, 0)


def _copies(parent, tag: str, rows: list) -> None:
    if not rows:
        return
    element = _sub(parent, tag)
    for row in rows:
        _sub(element, "全銜", row.name)
        if row.with_attachments:
            _sub(element, "含附件", "含附件")


def _doctype(root: str, dtd_name: str, entities: list[tuple[str, str]]) -> str:
    declared = "".join(
        f'\n<!ENTITY {name} SYSTEM "{system}" NDATA {NOTATION}>' for name, system in entities
    )
    return f'<!DOCTYPE {root} SYSTEM "{dtd_name}" [\n<!NOTATION {NOTATION} SYSTEM "">{declared}\n]>'


def _serialise(root_element, doctype: str) -> bytes:
    body = etree.tostring(root_element, encoding="unicode", pretty_print=True)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n{body}'.encode()


def exchanged_recipients(letter: OutgoingLetter) -> list:
    """The recipients that get the document by 電子交換 (the SW lists these)."""
    return [r for r in letter.recipients if r.method == DeliveryMethod.EXCHANGE]


def build_di(letter: OutgoingLetter, names: PackageNames) -> bytes:
    """The DI of ``letter``; validates against its DTD (checked here: a DI that does not is a
    bug, never sent)."""
    root_tag, dtd_name = FORMATS[letter.doc_type]
    root = etree.Element(root_tag)
    _agency(root, "發文機關", letter.sender_name, letter.sender_code)
    addressed = letter.doc_type in ADDRESSED
    if letter.doc_type in (DocType.LETTER, DocType.BRIEF_LETTER):
        _sub(root, "函類別", 代碼=DocType(letter.doc_type).label)
    notice = NOTICE_ELEMENTS.get(letter.doc_type)
    if letter.doc_type in (DocType.LETTER, DocType.BRIEF_LETTER) or notice:
        for line in letter.contact:
            if line.startswith("地址："):
                _sub(root, "地址", line.removeprefix("地址："))
        for line in letter.contact:
            if not line.startswith("地址："):
                _sub(root, "聯絡方式", line)
    if addressed:
        _sub(_sub(root, "受文者"), "交換表", 交換表單=ROSTER_ENTITY)
    _date(root, "發文日期", letter.dispatched_on)
    _number(root, letter)
    if letter.doc_type not in (DocType.ORDER, DocType.ANNOUNCEMENT):
        _sub(root, "速別", 代碼=Speed(letter.speed).label)
        _secrecy(root, letter)
    attachments = _sub(root, "附件")
    entities = [(ROSTER_ENTITY, names.sw)] if addressed else []
    if letter.files:
        _sub(attachments, "文字", "、".join(f.name for f in letter.files))
    for n, attached in enumerate(letter.files, start=1):
        entity = f"ATTCH{n}"
        _sub(attachments, "附件檔名", 附件名=entity)
        entities.append((entity, names.attachment(n, attached.name)))
    if notice:
        _sub(_sub(root, f"{notice}事由"), "文字", letter.subject)
        _sub(root, f"{notice}時間", letter.meeting.get("time", ""))
        _sub(root, f"{notice}地點", letter.meeting.get("place", ""))
        for key, tag in NOTICE_FIELDS:
            if letter.meeting.get(key):
                _sub(root, tag, letter.meeting[key])
    else:
        _sub(_sub(root, "主旨"), "文字", letter.subject)
        _sections(root, letter)
    if addressed:
        exchanged = letter.recipients
        originals = [r for r in exchanged if r.copy == CopyKind.ORIGINAL]
        copies = [r for r in exchanged if r.copy == CopyKind.COPY]
        _copies(root, "正本", originals)
        _copies(root, "副本", copies)
    if notice and letter.meeting.get("note"):
        _sub(root, "備註", letter.meeting["note"])
    for line in letter.signature:
        _sub(root, "署名", line)
    data = _serialise(root, _doctype(root_tag, dtd_name, entities))
    validate(data, dtd_name)
    return data


def build_sw(letter: OutgoingLetter) -> bytes:
    """The 交換表單: the sender, the document's date, number and 文別, and every recipient
    that gets it electronically."""
    root = etree.Element("交換表單")
    _agency(root, "發文機關", letter.sender_name, letter.sender_code)
    _date(root, "發文日期", letter.dispatched_on)
    _number(root, letter)
    _sub(root, "文別", DocType(letter.doc_type).label)
    for row in exchanged_recipients(letter):
        entry = _sub(
            root,
            "受文機關",
            正副本=CopyKind(row.copy).label,
            含附件="是" if row.with_attachments else "否",
        )
        _sub(entry, "全銜", row.name)
        _sub(entry, "機關代碼", row.code)
    data = _serialise(root, f'<!DOCTYPE 交換表單 SYSTEM "{ROSTER_DTD}">')
    validate(data, ROSTER_DTD)
    return data


def package_for(letter: OutgoingLetter) -> tuple[str, bytes]:
    """The package (zip) of a dispatched document: its name and bytes."""
    if letter.doc_type not in FORMATS:
        raise ValueError(f"文別「{DocType(letter.doc_type).label}」沒有交換格式。")
    names = PackageNames.of(letter.sender_code, letter.year, letter.serial)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr(names.di, build_di(letter, names))
        if letter.doc_type in ADDRESSED:
            package.writestr(names.sw, build_sw(letter))
        for n, attached in enumerate(letter.files, start=1):
            package.writestr(names.attachment(n, attached.name), attached.data)
    return names.package, buffer.getvalue()


# --- Reading -------------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    # No entity resolution, no network, no DTD loading (the DTD comes from ``dtd/``, never
    # from the package), and libxml2's default limits (no huge_tree).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=True,
    )


def _element_of(message: str) -> str:
    found = re.search(r"(?:Element|element) '?([^\s':,]+)", message)
    return found.group(1) if found else ""


def parse(data: bytes, what: str) -> etree._ElementTree:
    """Well-formed XML with no internal entity, or PackageRefused naming the line."""
    try:
        tree = etree.parse(io.BytesIO(data), _parser())
    except etree.XMLSyntaxError as error:
        if "entity" in (error.msg or "").lower():
            # libxml2 stops an entity expansion attack (billion laughs) while parsing.
            raise PackageRefused(
                "entity_refused",
                f"{what}含有實體展開攻擊或不允許的實體（{error.msg}），不予接收。",
                line=error.lineno or None,
            ) from None
        raise PackageRefused(
            "bad_xml",
            f"{what}不是格式正確的 XML（{error.msg}）。",
            line=error.lineno or None,
        ) from None
    internal = tree.docinfo.internalDTD
    if internal is not None:
        for entity in internal.iterentities():
            # An unparsed entity (… SYSTEM "file" NDATA DI) has the notation as its content;
            # anything else — an internal entity, a parsed external one — is refused.
            if not entity.system_url or entity.content != NOTATION:
                at = data.find(f"<!ENTITY {entity.name}".encode())
                raise PackageRefused(
                    "entity_refused",
                    f"{what}宣告了實體「{entity.name}」；為防範實體展開攻擊，交換檔只能以"
                    f"「NDATA {NOTATION}」外部實體宣告交換表單與附件。",
                    element="!ENTITY",
                    line=data[:at].count(b"\n") + 1 if at >= 0 else None,
                )
    return tree


def validate(data: bytes, dtd_name: str, what: str = "交換檔") -> etree._ElementTree:
    """``data`` checked against the DTD of ``dtd_name`` — ours, never one the file names —
    with the file's own unparsed entities (the 交換表單 and attachments: lxml validates an
    ENTITY attribute only against entities the DTD it is given declares)."""
    tree = parse(data, what)
    entities = _declared(tree)
    if entities:
        for name, system in entities:
            if not _ENTITY_NAME.match(name) or not _SAFE_NAME.match(system):
                raise PackageRefused(
                    "entity_refused",
                    f"{what}宣告的實體「{name}」（{system}）名稱或檔名不合規定。",
                    element="!ENTITY",
                )
        own = f'<!NOTATION {NOTATION} SYSTEM "">' + "".join(
            f'<!ENTITY {name} SYSTEM "{system}" NDATA {NOTATION}>' for name, system in entities
        )
        checker = etree.DTD(io.StringIO(dtd_text(dtd_name) + own))
    else:
        checker = dtd(dtd_name)
    if not checker.validate(tree):
        error = checker.error_log.filter_from_errors()[0]
        raise PackageRefused(
            "dtd_invalid",
            f"{what}不符合 {dtd_name} 的規定（{error.message}）。",
            element=_element_of(error.message),
            line=error.line if error.line and error.line > 0 else None,
        )
    return tree


def _text(element, path: str, label: str, *, limit: int = 500, required: bool = True) -> str:
    found = element.find(path)
    value = "".join(found.itertext()).strip() if found is not None else ""
    if required and not value:
        raise PackageRefused(
            "missing",
            f"缺少{label}。",
            element=path.split("/")[0],
            line=found.sourceline if found is not None else None,
        )
    problem = text_problem(value, label, max_length=limit)
    if problem:
        raise PackageRefused("bad_text", problem, element=path, line=found.sourceline)
    return value


def _roc_day(element, path: str, label: str) -> dt.date:
    value = _text(element, path, label, limit=30)
    try:
        return roc.parse_date(value)
    except ValueError:
        raise PackageRefused(
            "bad_date",
            f"{label}「{value}」不是正確的民國日期（例如 中華民國115年8月16日）。",
            element=path.split("/")[0],
            line=element.find(path).sourceline,
        ) from None


def _choice(element, path: str, choices, label: str, default: str = "") -> str:
    found = element.find(path)
    value = found.get("代碼", "") if found is not None else ""
    if not value and default:
        return default
    for choice in choices:
        if choice.label == value:
            return choice.value
    raise PackageRefused(
        "bad_code",
        f"{label}「{value}」不是規定的代碼。",
        element=path,
        line=found.sourceline if found is not None else None,
    )


def _read_items(parent) -> list:
    items = []
    for row in parent.findall("條列"):
        text = _text(row, "文字", "條列", limit=SECTION_TEXT_MAX)
        item: dict = {"text": text}
        children = _read_items(row)
        if children:
            item["children"] = children
        items.append(item)
    return items


def _read_sections(root) -> list:
    sections = []
    for section in root.findall("段落"):
        title = section.get("段名", "").strip()
        problem = text_problem(title, "段名", max_length=20)
        if problem or not title:
            raise PackageRefused(
                "bad_text", problem or "段落須有段名。", element="段落", line=section.sourceline
            )
        items = _read_items(section)
        if not items:
            items = [{"text": _text(section, "文字", title, limit=SECTION_TEXT_MAX)}]
        sections.append([title, items])
    return sections


def _read_roster(data: bytes) -> list[RosterEntry]:
    root = validate(data, ROSTER_DTD, "交換表單").getroot()
    entries = []
    for row in root.findall("受文機關"):
        code = _text(row, "機關代碼", "受文機關代碼", limit=10).upper()
        entries.append(
            RosterEntry(
                name=_text(row, "全銜", "受文機關全銜", limit=100),
                code=code,
                copy=CopyKind.ORIGINAL if row.get("正副本") == "正本" else CopyKind.COPY,
                with_attachments=row.get("含附件", "是") == "是",
            )
        )
    return entries


def _member(package: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, label: str) -> bytes:
    """A member's bytes, read at most ``limit`` bytes: the size the zip declares is checked
    first, and the stream is cut when it runs past (a member lying about its size)."""
    too_big = PackageRefused(
        "too_large", f"{label}「{info.filename}」超過 {limit // (1024 * 1024)} MB 的大小上限。"
    )
    if info.file_size > limit:
        raise too_big
    with package.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_big
    return data


def _doc_type_of(root) -> str:
    if root.tag == "函":
        kind = root.find("函類別")
        return (
            DocType.BRIEF_LETTER
            if kind is not None and kind.get("代碼") == "書函"
            else (DocType.LETTER)
        )
    for doc_type, (tag, _name) in FORMATS.items():
        if tag == root.tag:
            return doc_type
    raise PackageRefused(
        "unknown_type",
        f"不支援的文別「{root.tag}」。",
        element=root.tag,
        line=root.sourceline,
    )


def read_package(data: bytes) -> Incoming:
    """Everything a package holds, checked; PackageRefused on the first problem."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PackageRefused("bad_package", "交換封包不是有效的 zip 檔。") from None
    with package:
        infos = package.infolist()
        if len(infos) > MEMBERS_MAX:
            raise PackageRefused("bad_package", f"交換封包最多 {MEMBERS_MAX} 個檔案。")
        members = {}
        for info in infos:
            if not _SAFE_NAME.match(info.filename) or info.is_dir():
                raise PackageRefused(
                    "bad_package", f"交換封包內的檔名「{info.filename}」不合規定。"
                )
            members[info.filename] = info
        dis = [name for name in members if name.endswith(".di")]
        if len(dis) != 1:
            raise PackageRefused("bad_package", "交換封包須有一個（且僅一個）DI 檔（.di）。")
        di_data = _member(package, members[dis[0]], XML_MAX_BYTES, "DI 檔")
        # Parsed (and any internal entity refused) before the DTD is chosen.
        root = parse(di_data, "DI 檔").getroot()
        try:
            return _read(package, members, root, di_data)
        except PackageRefused as error:
            # The sender, as far as the DI names one, so the refusal can be answered (退文).
            if not error.sender_code:
                code = (root.findtext("發文機關/機關代碼") or "").strip().upper()
                error.sender_code = code if _CODE.match(code) else ""
            if not error.sender_name:
                name = (root.findtext("發文機關/全銜") or "").strip()
                error.sender_name = "" if text_problem(name, "全銜", max_length=100) else name
            raise


def _read(package: zipfile.ZipFile, members: dict, root, di_data: bytes) -> Incoming:
    doc_type = _doc_type_of(root)
    root_tag, dtd_name = FORMATS[doc_type]
    tree = validate(di_data, dtd_name, "DI 檔")
    root = tree.getroot()
    sender_code = _text(root, "發文機關/機關代碼", "發文機關代碼", limit=10).upper()
    sender_line = root.find("發文機關/機關代碼").sourceline
    sender_name = _text(root, "發文機關/全銜", "發文機關全銜", limit=100)
    if not _CODE.match(sender_code):
        raise PackageRefused(
            "unknown_agency",
            f"發文機關代碼「{sender_code}」格式不正確（10 碼）。",
            element="機關代碼",
            line=root.find("發文機關/機關代碼").sourceline,
        )
    prefix = _text(root, "發文字號/字", "發文代字", limit=20, required=False)
    year = _text(root, "發文字號/文號/年度", "年度", limit=3)
    serial = _text(root, "發文字號/文號/流水號", "流水號", limit=10)
    sender_number = f"{prefix}字第{year}{serial}號" if prefix else f"第{year}{serial}號"
    notice = NOTICE_ELEMENTS.get(doc_type)
    unaddressed = doc_type in (DocType.ORDER, DocType.ANNOUNCEMENT)
    incoming = Incoming(
        doc_type=doc_type,
        sender_name=sender_name,
        sender_code=sender_code,
        sender_number=sender_number,
        sender_date=_roc_day(root, "發文日期/年月日", "發文日期"),
        speed=Speed.NORMAL
        if unaddressed
        else _choice(root, "速別", Speed, "速別", Speed.NORMAL.label),
        secrecy=Secrecy.NONE
        if unaddressed
        else _choice(root, "密等及解密條件或保密期限/密等", Secrecy, "密等", Secrecy.NONE),
        declassify=_text(
            root, "密等及解密條件或保密期限/解密條件或保密期限", "解密條件", required=False
        ),
        subject=_text(root, f"{notice}事由/文字" if notice else "主旨/文字", "主旨"),
        sections=[] if notice else _read_sections(root),
        sender_line=sender_line,
    )
    if notice:
        incoming.meeting = {
            "time": _text(root, f"{notice}時間", f"{notice}時間"),
            "place": _text(root, f"{notice}地點", f"{notice}地點"),
        }
        for key, tag in (*NOTICE_FIELDS, ("note", "備註")):
            value = _text(root, tag, tag, required=False)
            if value:
                incoming.meeting[key] = value
    try:
        entities = {e.name: e.system_url for e in tree.docinfo.internalDTD.iterentities()}
    except AttributeError:
        entities = {}
    if doc_type in ADDRESSED:
        roster_name = entities.get(ROSTER_ENTITY, "")
        if roster_name not in members:
            raise PackageRefused(
                "missing_roster",
                f"交換表單「{roster_name}」不在交換封包中。",
                element="交換表",
                line=root.find("受文者/交換表").sourceline,
                sender_code=sender_code,
                sender_name=sender_name,
            )
        roster = _member(package, members[roster_name], XML_MAX_BYTES, "交換表單")
        incoming.recipients = _read_roster(roster)
        incoming.roster_line = root.find("受文者/交換表").sourceline
    declared = root.findall("附件/附件檔名")
    names_text = _text(root, "附件/文字", "附件", limit=5000, required=False)
    shown = names_text.split("、") if names_text else []
    limit = max_upload_bytes()
    for n, element in enumerate(declared):
        entity = element.get("附件名", "")
        member = entities.get(entity, "")
        if member not in members:
            raise PackageRefused(
                "missing_attachment",
                f"附件「{entity}」（{member or '未宣告'}）不在交換封包中。",
                element="附件檔名",
                line=element.sourceline,
                sender_code=sender_code,
                sender_name=sender_name,
            )
        try:
            content = _member(package, members[member], limit, "附件")
        except PackageRefused as error:
            error.element, error.line = "附件檔名", element.sourceline
            error.sender_code, error.sender_name = sender_code, sender_name
            error.args = (f"第{element.sourceline}行（元素「附件檔名」）：{error.args[0]}",)
            raise
        name = shown[n] if len(shown) == len(declared) else member
        if Path(name).suffix.lower() != Path(member).suffix.lower():
            name = member
        incoming.files.append(IncomingFile(name=name, data=content))
    return incoming
