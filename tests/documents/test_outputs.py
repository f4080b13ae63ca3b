"""The outputs: 函, 書函, 簽, 公告 and 開會通知單 in the standard layout, as ODT (opened with
odfpy) and PDF (read back with pypdf); the outgoing PDF sealed with the agency's certificate
validates with pyHanko; the signing trail exports as XML."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from lxml import etree
from odf import teletype
from odf.opendocument import load
from odf.text import P
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from secretariat.core import roc
from secretariat.documents import rendering, services, trail
from secretariat.documents.models import SealUse
from secretariat.documents.signing import TrustStore

from .flow import pdf_text, whole_path

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    """Text without spaces of either width or line breaks (PDF extraction keeps or drops
    them as the layout falls)."""
    return "".join(text.split())


def odt_lines(data: bytes) -> list[str]:
    document = load(io.BytesIO(data))
    return [teletype.extractText(p) for p in document.text.getElementsByType(P)]


def _draft(office, doc_type: str, **extra):
    document = services.create_document(
        doc_type=doc_type, subject="輸出測試", method="draft_only", by=office.officer
    )
    services.save_draft(
        document,
        "memo" if doc_type == "memo" else "outgoing",
        doc_type=doc_type,
        subject=extra.pop("subject", "函轉文書處理講習實施計畫，請查照。"),
        sections=extra.pop("sections", {}),
        by=office.officer,
        **extra,
    )
    return document


def test_a_dispatched_letter_in_odt_and_pdf(office):
    document = whole_path(office)
    sheet = rendering.sheet_for(document, "outgoing", dated=document.dispatched_on)
    date = roc.format_date(document.dispatched_on, "long")
    expected = [
        "檔號：115/010101/1",
        "保存年限：10年",
        "臺北市政府秘書處　函",
        "地址：臺北市信義區市府路1號",
        "承辦人：科員officer",
        "受文者：臺北市政府",
        f"發文日期：{date}",
        f"發文字號：北市秘總字第{document.number}號",
        "速別：普通件",
        "密等及解密條件或保密期限：",
        "主旨：有關市政大樓節能改善一案，復請查照。",
        "說明：",
        "一、依據本府115年11月30日府授秘文字第1153000001號函辦理。",
        "二、本案辦理情形如下：",
        "（一）已完成場地勘查。",
        "（二）預定12月中旬施作。",
        "辦法：請於115年12月20日前回復。",
        "正本：臺北市政府",
        "副本：臺北市政府民政局",
        "處長　陳處長",
    ]
    lines = odt_lines(rendering.odt(sheet))
    for line in expected:
        assert line in lines, line
    text = squash(pdf_text(rendering.pdf(sheet)))
    for line in expected:
        assert squash(line) in text, line
    assert "第1頁，共1頁" in text


def test_the_page_count_is_in_the_odt_footer(office):
    document = _draft(office, "letter", recipients=[
        {"copy": "original", "name": "臺北市政府", "method": "post"}
    ])  # fmt: skip
    data = rendering.odt(rendering.sheet_for(document, "outgoing"))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        styles = package.read("styles.xml").decode()
    assert "<text:page-number" in styles and "<text:page-count" in styles
    assert "頁，共" in styles


@pytest.mark.parametrize(
    ("doc_type", "extra", "heading", "lines", "absent"),
    [
        (
            "brief_letter",
            {"recipients": [{"copy": "original", "name": "臺北市政府", "method": "post"}]},
            "臺北市政府秘書處　書函",
            ["受文者：臺北市政府", "臺北市政府秘書處（條戳）"],
            ["處長　陳處長"],
        ),
        (
            "memo",
            {"sections": {"說明": "甲\n乙", "擬辦": "擬准予備查。"}},
            "簽　於總務組",
            ["說明：", "一、甲", "二、乙", "擬辦：擬准予備查。"],
            ["受文者：臺北市政府"],
        ),
        (
            "announcement",
            {"sections": {"依據": "臺北市政府文書處理實施要點。", "公告事項": "一、甲\n二、乙"}},
            "臺北市政府秘書處　公告",
            ["依據：臺北市政府文書處理實施要點。", "公告事項：", "一、甲", "處長　陳處長"],
            ["受文者：臺北市政府"],
        ),
        (
            "meeting_notice",
            {
                "subject": "召開文書處理檢討會議",
                "meeting": {
                    "time": "115年12月15日下午2時",
                    "place": "市政大樓11樓",
                    "chair": "陳處長",
                },
                "recipients": [{"copy": "original", "name": "臺北市政府", "method": "post"}],
            },
            "臺北市政府秘書處　開會通知單",
            [
                "開會事由：召開文書處理檢討會議",
                "開會時間：115年12月15日下午2時",
                "開會地點：市政大樓11樓",
                "主持人：陳處長",
            ],
            [],
        ),
    ],
)
def test_the_other_layouts(office, doc_type, extra, heading, lines, absent):
    document = _draft(office, doc_type, **extra)
    role = "memo" if doc_type == "memo" else "outgoing"
    sheet = rendering.sheet_for(document, role)
    found = odt_lines(rendering.odt(sheet))
    assert heading in found
    for line in lines:
        assert line in found, line
    for line in absent:
        assert line not in found, line
    text = squash(pdf_text(rendering.pdf(sheet)))
    assert squash(heading) in text
    assert "第1頁，共1頁" in text


def test_the_sealed_pdf_validates_with_pyhanko(office, signing_trust):
    document = whole_path(office)
    use = SealUse.objects.get(document=document)
    data = services.sealed_pdf(document, use)
    reader = PdfFileReader(io.BytesIO(data))
    (signature,) = reader.embedded_signatures
    trust = TrustStore.from_settings()
    status = validate_pdf_signature(
        signature,
        signer_validation_context=trust.validation_context(signature.self_reported_timestamp),
    )
    assert status.intact and status.valid and status.bottom_line
    assert "O=臺北市政府秘書處" in status.signing_cert.subject.human_friendly or (
        "臺北市政府秘書處" in status.signing_cert.subject.human_friendly
    )
    assert document.reference in squash(pdf_text(data))
    # one changed byte after the seal: the seal no longer holds
    tampered = bytearray(data)
    at = data.index(b"/Contents") - 200
    tampered[at] ^= 0x01
    from secretariat.documents.signing import validate_pdf

    assert not validate_pdf(bytes(tampered)).ok


def test_the_trail_exports_as_xml_and_the_pages_serve_the_files(office):
    document = whole_path(office)
    data = trail.export_xml(document, "主旨", list(document.points.order_by("pk")))
    root = etree.fromstring(data)
    ns = {"t": trail.NAMESPACE}
    points = root.findall("t:簽核點", ns)
    assert [p.get("種類") for p in points][:2] == ["收文", "分文"]
    assert all(p.find("t:數位簽章", ns) is not None for p in points)
    assert points[7].get("決定") == "決行"
    client = Client()
    client.force_login(office.officer)
    base = document.get_absolute_url()
    odt = client.get(base + "drafts/outgoing.odt")
    assert odt["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert "臺北市政府秘書處　函" in odt_lines(odt.content)
    pdf = client.get(base + "drafts/outgoing.pdf")
    assert pdf.content.startswith(b"%PDF")
    use = SealUse.objects.get(document=document)
    sealed = client.get(f"{base}sealed/{use.pk}.pdf")
    assert sealed.status_code == 200 and sealed.content == services.sealed_pdf(document, use)
    xml = client.get(base + "trail.xml")
    assert etree.fromstring(xml.content).get("文號") == document.number
