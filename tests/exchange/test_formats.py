"""The DI/SW formats: every exported DI and SW validates against the 104 DTDs, and a package
that is malformed in any of the ways a sender (or an attacker) can make it is refused with
the element and the line. No database."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from lxml import etree

from secretariat.exchange import formats
from tests.exchange.letters import PDF, RECIPIENT_CODE, SENDER_CODE, letter, member, rezip

EXPORTED = [
    "letter",
    "brief_letter",
    "memo",
    "order",
    "announcement",
    "meeting_notice",
    "inspection_notice",
]


def _valid(data: bytes, dtd_name: str) -> etree._ElementTree:
    """Validated as any receiver would: lxml's validating parser loading the DOCTYPE's DTD
    file from ``dtd/`` (and the tag sets it names), independent of ``formats.validate``."""
    assert f'SYSTEM "{dtd_name}"'.encode() in data
    parser = etree.XMLParser(
        dtd_validation=True, load_dtd=True, no_network=True, resolve_entities=False
    )
    return etree.parse(io.BytesIO(data), parser, base_url=f"{formats.DTD_DIR}/")


@pytest.mark.parametrize("doc_type", EXPORTED)
def test_every_exported_di_and_sw_validates(doc_type):
    name, package = formats.package_for(letter(doc_type))
    assert name == f"{SENDER_CODE}1153000012.zip"
    names = zipfile.ZipFile(io.BytesIO(package)).namelist()
    base = f"{SENDER_CODE}1153000012"
    assert f"{base}.di" in names and f"{base}_ATTCH1.pdf" in names
    root_tag, dtd_name = formats.FORMATS[doc_type]
    tree = _valid(member(package, ".di")[1], dtd_name)
    assert tree.getroot().tag == root_tag
    declared = {e.name: e.system_url for e in tree.docinfo.internalDTD.iterentities()}
    assert declared["ATTCH1"] == f"{base}_ATTCH1.pdf"
    assert tree.find("附件/附件檔名").get("附件名") == "ATTCH1"
    if doc_type in formats.ADDRESSED:
        assert declared["表單"] == f"{base}.sw"
        roster = _valid(member(package, ".sw")[1], formats.ROSTER_DTD).getroot()
        rows = [
            (r.findtext("全銜"), r.findtext("機關代碼"), r.get("正副本"), r.get("含附件"))
            for r in roster.findall("受文機關")
        ]
        # Only the 電子交換 recipients, by 全銜 and 機關代碼.
        assert rows == [
            ("臺北市政府民政局", RECIPIENT_CODE, "正本", "是"),
            ("臺北市政府工務局", "379030000K", "副本", "否"),
        ]
    else:
        assert f"{base}.sw" not in names


def test_letter_fields_in_the_di():
    root = etree.fromstring(member(formats.package_for(letter())[1], ".di")[1])
    assert root.find("函類別").get("代碼") == "函"
    assert root.findtext("發文機關/機關代碼") == SENDER_CODE
    assert root.findtext("發文日期/年月日") == "中華民國115年12月7日"
    assert root.findtext("發文字號/字") == "北市秘總"
    assert root.findtext("發文字號/文號/流水號") == "3000012"
    assert root.find("速別").get("代碼") == "速件"
    labels = [row.get("序號") for row in root.iter("條列")]
    assert labels == ["一、", "二、", "（一）", "（二）"]
    assert [e.text for e in root.findall("正本/全銜")] == ["臺北市政府民政局"]
    # The third recipient goes by post: named in 副本, never in the 交換表單.
    assert "某某股份有限公司" in [e.text for e in root.findall("副本/全銜")]


def test_round_trip_of_the_format_keeps_every_field():
    sent = letter(secrecy="secret", declassify="公布後解密")
    incoming = formats.read_package(formats.package_for(sent)[1])
    assert incoming.doc_type == "letter"
    assert (incoming.sender_name, incoming.sender_code) == ("臺北市政府秘書處", SENDER_CODE)
    assert incoming.sender_number == "北市秘總字第1153000012號"
    assert incoming.sender_date.isoformat() == "2026-12-07"
    assert (incoming.speed, incoming.secrecy, incoming.declassify) == (
        "urgent",
        "secret",
        "公布後解密",
    )
    assert incoming.subject == sent.subject
    assert incoming.sections == [list(s) for s in sent.sections]
    assert [(f.name, f.data) for f in incoming.files] == [("節能改善計畫.pdf", PDF)]
    assert [e.code for e in incoming.recipients] == [RECIPIENT_CODE, "379030000K"]


def test_notice_round_trip_keeps_the_meeting_details():
    sent = letter("meeting_notice")
    incoming = formats.read_package(formats.package_for(sent)[1])
    assert incoming.doc_type == "meeting_notice"
    assert incoming.subject == sent.subject
    assert incoming.meeting == sent.meeting


def _refused(package: bytes) -> formats.PackageRefused:
    with pytest.raises(formats.PackageRefused) as caught:
        formats.read_package(package)
    return caught.value


def test_bad_xml_is_refused_with_its_line():
    package = formats.package_for(letter())[1]
    name, di = member(package, ".di")
    broken = di.replace(b"</\xe4\xb8\xbb\xe6\x97\xa8>", b"", 1)  # drop </主旨>
    refusal = _refused(rezip(package, replace={name: broken}))
    assert refusal.code == "bad_xml"
    assert refusal.line is not None and "不是格式正確的 XML" in refusal.message
    assert refusal.message.startswith(f"第{refusal.line}行")


def test_wrong_element_order_is_refused_by_the_dtd():
    package = formats.package_for(letter())[1]
    name, di = member(package, ".di")
    root = etree.fromstring(di)
    speed = root.find("速別")
    root.remove(speed)
    root.insert(1, speed)  # 速別 before 函類別
    doctype = di[: di.index(b"]>") + 2].decode()
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    swapped = f"{doctype}\n{body}".encode()
    refusal = _refused(rezip(package, replace={name: swapped}))
    assert refusal.code == "dtd_invalid"
    assert refusal.element == "函" and refusal.line is not None
    assert "104_2_utf8.dtd" in refusal.message
    assert refusal.sender_code == SENDER_CODE  # the refusal can be answered


def test_missing_attachment_is_refused():
    package = formats.package_for(letter())[1]
    refusal = _refused(rezip(package, drop=(f"{SENDER_CODE}1153000012_ATTCH1.pdf",)))
    assert refusal.code == "missing_attachment"
    assert refusal.element == "附件檔名" and refusal.line is not None
    assert "ATTCH1" in refusal.message and "不在交換封包中" in refusal.message


def test_a_50_mb_attachment_is_refused_before_it_is_read(settings):
    """The member's declared size is checked before reading; a stream of zeros deflates to
    ~50 KB, so the test stays fast."""
    attachment = f"{SENDER_CODE}1153000012_ATTCH1.pdf"
    package = formats.package_for(letter())[1]
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", compression=zipfile.ZIP_DEFLATED) as target:
        source = zipfile.ZipFile(io.BytesIO(package))
        for info in source.infolist():
            if info.filename != attachment:
                target.writestr(info.filename, source.read(info))
        with target.open(attachment, "w", force_zip64=True) as stream:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(50):
                stream.write(chunk)
    started = time.monotonic()
    refusal = _refused(big.getvalue())
    assert time.monotonic() - started < 2
    assert refusal.code == "too_large" and "MB 的大小上限" in refusal.message
    assert refusal.element == "附件檔名"


def test_the_attachment_bound_is_the_upload_setting(settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1000
    attachment = f"{SENDER_CODE}1153000012_ATTCH1.pdf"
    package = formats.package_for(letter())[1]
    assert formats.read_package(package).files  # 40 bytes: fine
    refusal = _refused(rezip(package, replace={attachment: PDF + b"\0" * 5000}))
    assert refusal.code == "too_large"


BILLION_LAUGHS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE 函 SYSTEM "104_2_utf8.dtd" [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<函><發文機關><全銜>&lol9;</全銜><機關代碼>379130000C</機關代碼></發文機關></函>
"""


def test_billion_laughs_is_refused_without_expanding():
    package = formats.package_for(letter())[1]
    name, _ = member(package, ".di")
    started = time.monotonic()
    refusal = _refused(rezip(package, replace={name: BILLION_LAUGHS.encode()}))
    assert time.monotonic() - started < 2
    assert refusal.code == "entity_refused"
    assert refusal.line is not None and "實體" in refusal.message


def test_external_entity_is_never_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    package = formats.package_for(letter())[1]
    name, di = member(package, ".di")
    evil = di.replace(
        b'<!NOTATION DI SYSTEM "">',
        f'<!NOTATION DI SYSTEM "">\n<!ENTITY xxe SYSTEM "file://{secret}">'.encode(),
    ).replace("<文字>有關".encode(), "<文字>&xxe;有關".encode())
    refusal = _refused(rezip(package, replace={name: evil}))
    assert refusal.code == "entity_refused" and "xxe" in refusal.message
    assert "top secret" not in refusal.message


def test_not_a_zip_and_odd_members_are_refused():
    assert _refused(b"not a zip").code == "bad_package"
    package = formats.package_for(letter())[1]
    assert "檔名" in _refused(rezip(package, add={"../evil.pdf": PDF})).message
    two = rezip(package, add={"another.di": b"<x/>"})
    assert "一個" in _refused(two).message


def test_unknown_root_is_refused():
    package = formats.package_for(letter())[1]
    name, _ = member(package, ".di")
    refusal = _refused(rezip(package, replace={name: "<公文/>".encode()}))
    assert refusal.code == "unknown_type" and "公文" in refusal.message
