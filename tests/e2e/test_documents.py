"""公文 in a real browser: the whole path 收文 → 分文 → 擬稿 → 會辦 → 陳核 → 決行 → 用印 → 發文,
every step signed with the signer's SoftHSM2 card (PIN typed on the page); then 「驗證簽章」
finds every signature good, and a changed byte in a stored version is reported with its
簽核點. And every documents page over the demo records: axe-core finds nothing, no page
scrolls sideways at phone width."""

from __future__ import annotations

from django.core.management import call_command

from secretariat.documents.models import Document, DraftVersion, Point, PointStatus
from tests.documents.flow import PDF
from tests.e2e.conftest import assert_accessible, login, logout, step

DEMO_PASSWORD = "taipei-demo-115"


def act_as(page, office, who: str, document: Document) -> None:
    logout(page)
    login(page, getattr(office, who).username)
    page.goto(document.get_absolute_url())


def test_the_whole_path_signed_at_every_point_then_verified(page, office):
    pin = office.pin
    login(page, office.clerk.username)
    page.goto("/documents/")
    page.get_by_role("link", name="收文登錄").click()
    page.locator("#id_subject").fill("函請協助辦理市政大樓節能改善")
    page.locator("#id_sender_name").fill("臺北市政府工務局")
    page.locator("#id_sender_number").fill("北市工建字第1153001234號")
    page.locator("#id_speed").select_option(label="速件")
    page.locator("#id_scan").set_input_files(
        files=[{"name": "來文.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("#id_pin").fill(pin)
    assert_accessible(page)
    page.get_by_role("button", name="收文").click()
    page.locator(".msg-success").wait_for()
    document = Document.objects.get()
    assert page.get_by_role("heading", level=1).inner_text().startswith(document.reference)

    # 分文
    step(page, "distribute", officer=f"總務組　{office.officer}", pin=pin)

    # 擬稿: the 簽 and the 稿
    act_as(page, office, "officer", document)
    page.get_by_role("link", name="擬簽／修改簽").click()
    page.locator("#id_subject").fill("擬函復工務局節能改善案")
    page.locator("#id_section_0").fill("工務局來函請協助辦理。")
    page.locator("#id_section_1").fill("擬如稿函復。")
    page.get_by_role("button", name="儲存為新版本").click()
    page.locator(".msg-success").wait_for()
    page.get_by_role("link", name="擬稿／修改稿").click()
    page.locator("#id_subject").fill("有關市政大樓節能改善一案，復請查照。")
    page.locator("#id_section_0").fill("一、復貴局來函。\n二、本處辦理情形：\n（一）已完成勘查。")
    page.locator("#id_section_1").fill("請查照。")
    page.locator("#id_r0_copy").select_option(label="正本")
    page.locator("#id_r0_name").fill("臺北市政府")
    page.locator("#id_r0_method").select_option(label="電子交換")
    assert_accessible(page)
    page.get_by_role("button", name="儲存為新版本").click()
    page.locator(".msg-success").wait_for()
    assert page.get_by_text("（一）已完成勘查。").first.is_visible()

    # 會辦
    card = page.locator("#step-cosign-request")
    card.get_by_label("機要組").check()
    card.locator("#cosign-request-pin").fill(pin)
    card.get_by_role("button", name="送會").click()
    page.locator(".msg-success").wait_for()
    act_as(page, office, "cosigner", document)
    assert_accessible(page)
    step(page, "cosign", opinion="敬會，無意見。", pin=pin)

    # 陳核 up to the head
    act_as(page, office, "officer", document)
    step(page, "submit", to=f"總務組　科長　{office.chief}", pin=pin)
    act_as(page, office, "chief", document)
    step(page, "forward", to=f"處本部　處長　{office.head}", pin=pin)

    # 決行
    act_as(page, office, "head", document)
    assert page.get_by_text("本案依分層負責由第一層（首長）決行。").is_visible()
    assert_accessible(page)
    step(page, "decide", opinion="如擬。", pin=pin)

    # 繕校, 用印 (the agency's electronic seal), 發文
    act_as(page, office, "officer", document)
    step(page, "proof", pin=pin)
    act_as(page, office, "keeper", document)
    step(page, "seal", seal_kind="機關印信", impressions="2", pin=pin, seal_pin=pin)
    act_as(page, office, "clerk", document)
    step(page, "dispatch", pin=pin)

    document.refresh_from_db()
    assert document.status == "dispatched"
    done = Point.objects.filter(document=document, status=PointStatus.DONE)
    steps = list(done.order_by("pk").values_list("step", flat=True))
    assert steps == [
        "receive", "distribute", "draft", "cosign", "draft", "review", "decide", "proof",
        "seal", "dispatch",
    ]  # fmt: skip
    assert all(point.signature for point in done)
    assert page.get_by_role("link", name="加蓋電子印信之 PDF").is_visible()
    assert_accessible(page)

    # verify: every signature good
    page.get_by_role("button", name="驗證簽章").click()
    page.get_by_text(f"驗章完成：{done.count()} 個簽章均正確。").wait_for()

    # a changed byte in a stored version is reported with its 簽核點
    version = DraftVersion.objects.filter(draft__document=document, draft__role="outgoing").latest(
        "number"
    )
    DraftVersion.objects.filter(pk=version.pk).update(
        content=version.content.replace("已完成勘查", "已完成勘察")
    )
    page.get_by_role("button", name="驗證簽章").click()
    page.locator(".msg-error").wait_for()
    decided = done.get(step="decide")
    alert = page.get_by_role("alert")
    assert f"簽核點#{decided.pk}：簽章與內容不符。" in alert.inner_text()
    assert_accessible(page)


def visit_all(page, paths) -> None:
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert_accessible(page)
        page.set_viewport_size({"width": 360, "height": 740})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at phone width by {overflow}px"


def test_documents_pages_pass_axe_for_every_role(page):
    call_command("demo", verbosity=0)
    filed = Document.objects.get(status="filed")
    drafting = Document.objects.filter(status="drafting").order_by("pk").first()
    reviewing = Document.objects.filter(status="reviewing", secrecy="none").get()
    secret = Document.objects.exclude(secrecy="none").get()
    sealing = Document.objects.get(status="proofed")
    login(page, "sec-officer", DEMO_PASSWORD)
    visit_all(
        page,
        [
            "/documents/",
            "/documents/new/",
            filed.get_absolute_url(),
            drafting.get_absolute_url(),
            drafting.get_absolute_url() + "drafts/outgoing/",
            drafting.get_absolute_url() + "drafts/outgoing/changes/",
            secret.get_absolute_url(),
            "/documents/card/",
            "/documents/delegation/",
        ],
    )
    logout(page)
    login(page, "sec-chief", DEMO_PASSWORD)
    visit_all(page, [reviewing.get_absolute_url(), secret.get_absolute_url()])
    logout(page)
    login(page, "sec-clerk", DEMO_PASSWORD)
    visit_all(
        page,
        [
            "/documents/receive/",
            "/documents/registers/received/",
            "/documents/registers/dispatched/",
            "/documents/registers/seals/",
            Document.objects.get(status="registered").get_absolute_url(),
        ],
    )
    assert page.get_by_text("密不錄由").count() == 0  # registers of receipts; secret was created
    logout(page)
    login(page, "sec-seal", DEMO_PASSWORD)
    visit_all(page, [sealing.get_absolute_url()])
    logout(page)
    login(page, "sec-head", DEMO_PASSWORD)
    visit_all(page, ["/documents/delegation/"])
    logout(page)
    login(page, "admin", DEMO_PASSWORD)
    visit_all(page, ["/documents/verification/"])
