"""Writes of the document lockers (文件智取櫃): setting up sites, banks and compartments;
packing (打包), depositing (投遞), pickup (取件) and signing for a package (簽收); the
controller's acknowledgements; reminders of overdue pickups. Each checks who may act,
validates, changes and audits in one transaction, and raises a DomainError (zh-Hant) that
changes nothing.

Choosing a compartment locks the bank's row (``SELECT … FOR UPDATE``; SQLite serialises
writers), so two couriers at one bank are served one after the other; the partial unique
index on a live package's compartment refuses a second one even if a caller skipped the lock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Max, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from secretariat.core import audit, roc, throttle, workdays
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, NotFound, PermissionDenied
from secretariat.core.mail import queue_mail
from secretariat.core.models import Agency, RoleCode, User
from secretariat.core.permissions import is_administrator
from secretariat.core.text import check_fields, model_rule
from secretariat.documents import selectors as documents
from secretariat.documents import services as document_services
from secretariat.lockers import selectors
from secretariat.lockers.models import (
    LIVE,
    SIZE_ORDER,
    Bank,
    Compartment,
    OpenCommand,
    Package,
    PackageItem,
    Purpose,
    Site,
    Size,
    Status,
)

KEY_PREFIX_LENGTH = 8
TOKEN_PREFIX = "LKR1."
CODE_DIGITS = 8
# 簽收 renders each document's 稿 as the 收文's scan (~0.4 s each, measured): 50 stay well inside a
# request's time; more go in a second package.
ITEMS_MAX = 50
COMPARTMENTS_MAX = 200  # one request adds at most this many; a bank at most 999
NUMBER_MAX = 999
CODE_SCOPE = "lockers:code"
NOTICE_TITLE = "智取櫃包件待取件"


def _require(allowed: bool, message: str = "您沒有執行此操作的權限。") -> None:
    if not allowed:
        raise PermissionDenied(message)


def may_administer(user) -> bool:
    """Sites, banks and compartments: the administrators (系統管理者、秘書處管理者)."""
    return bool(is_administrator(user))


def is_clerk(user) -> bool:
    """An agency's 收發 (registry clerk): packs, picks up and signs for packages."""
    return (
        getattr(user, "is_authenticated", False)
        and user.agency_id is not None
        and user.has_role(RoleCode.REGISTRY_CLERK)
    )


def hash_key(key: str) -> str:
    return core_services.hash_token(key)


# --- Set-up (administrators) ---------------------------------------------------------------

SITE_RULES = {"name": model_rule(Site, "name"), "address": model_rule(Site, "address")}
BANK_RULES = {"name": model_rule(Bank, "name")}


def create_site(*, name: str, address: str = "", by) -> Site:
    """智取櫃地點."""
    _require(may_administer(by))
    cleaned, errors = check_fields({"name": name, "address": address}, SITE_RULES)
    name = cleaned.get("name", "").strip()
    if not name and "name" not in errors:
        errors["name"] = ["請填寫地點名稱。"]
    elif Site.objects.filter(name=name).exists():
        errors["name"] = [f"地點「{name}」已存在。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.acting_as(audit.actor_of(by)), audit.action("lockers:site"):
        return Site.objects.create(name=name, address=cleaned.get("address", "").strip())


def _new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
    return prefix, f"{prefix}.{secrets.token_urlsafe(32)}"


def create_bank(
    site: Site, *, code: str, name: str, simulated: bool = False, by
) -> tuple[Bank, str]:
    """A locker bank with a new controller key; the key is returned once and only its hash is
    kept. ``simulated``: no hardware (the demo) — commands are acknowledged as issued."""
    _require(may_administer(by))
    cleaned, errors = check_fields({"name": name}, BANK_RULES)
    code = (code or "").strip().lower()
    if (
        not code
        or len(code) > 20
        or not all(c.isascii() and (c.isalnum() or c == "-") for c in code)
    ):
        errors["code"] = ["櫃組代號須為 1 至 20 個英數字或連字號（例如 city-hall-1f）。"]
    elif Bank.objects.filter(code=code).exists():
        errors["code"] = [f"櫃組代號「{code}」已使用。"]
    if not cleaned.get("name", "").strip() and "name" not in errors:
        errors["name"] = ["請填寫櫃組名稱。"]
    if errors:
        raise DomainError.invalid(errors)
    prefix, key = _new_key()
    with transaction.atomic(), audit.acting_as(audit.actor_of(by)), audit.action("lockers:bank"):
        bank = Bank.objects.create(
            site=site,
            code=code,
            name=cleaned["name"].strip(),
            key_prefix=prefix,
            key_hash=hash_key(key),
            simulated=simulated,
        )
    return bank, key


def rotate_bank_key(bank: Bank, *, by) -> str:
    """A new controller key (the old one stops working at once); returned once."""
    _require(may_administer(by))
    prefix, key = _new_key()
    with transaction.atomic(), audit.acting_as(audit.actor_of(by)), audit.action("lockers:key"):
        bank.key_prefix, bank.key_hash = prefix, hash_key(key)
        # Audited as a new key prefix; the hash itself stays out of the trail.
        bank.save(update_fields=["key_prefix", "key_hash"])
    return key


def bank_for_key(key: str) -> Bank | None:
    """The active bank a controller key belongs to, or None (constant-time comparison)."""
    prefix = (key or "").split(".", 1)[0]
    bank = Bank.objects.select_related("site").filter(key_prefix=prefix, active=True).first()
    if bank is None or not secrets.compare_digest(bank.key_hash, hash_key(key)):
        return None
    return bank


def seen(bank: Bank) -> None:
    """The controller called in (its last contact shows on the administrators' page)."""
    Bank.objects.filter(pk=bank.pk).update(last_seen_at=timezone.now())


def _check_size(size: str, errors: dict) -> None:
    if size not in Size.values:
        errors["size"] = ["請選擇尺寸（小格、中格、大格）。"]


def add_compartments(
    bank: Bank, *, count: int, size: str = Size.MEDIUM, agency: Agency | None = None, by
) -> list[Compartment]:
    """Number ``count`` new compartments after the bank's last; ``agency``: 機關固定櫃."""
    _require(may_administer(by))
    errors: dict[str, list[str]] = {}
    _check_size(size, errors)
    if not 1 <= count <= COMPARTMENTS_MAX:
        errors["count"] = [f"格數須為 1 至 {COMPARTMENTS_MAX}。"]
    with transaction.atomic(), audit.acting_as(audit.actor_of(by)), audit.action("lockers:add"):
        bank = Bank.objects.select_for_update().get(pk=bank.pk)
        last = bank.compartments.aggregate(last=Max("number"))["last"] or 0
        if "count" not in errors and last + count > NUMBER_MAX:
            errors["count"] = [f"櫃組最多 {NUMBER_MAX} 格；目前已到第 {last} 格。"]
        if errors:
            raise DomainError.invalid(errors)
        made = [
            Compartment.objects.create(bank=bank, number=last + n, size=size, agency=agency)
            for n in range(1, count + 1)
        ]
    return made


def set_compartment(
    compartment: Compartment, *, size: str, agency: Agency | None, active: bool, by
) -> Compartment:
    """Change a compartment's size, fixed agency (None: shared) or whether it is in use. A
    compartment holding a package keeps it: it may not be taken out of use meanwhile."""
    _require(may_administer(by))
    errors: dict[str, list[str]] = {}
    _check_size(size, errors)
    with transaction.atomic(), audit.acting_as(audit.actor_of(by)), audit.action("lockers:edit"):
        compartment = Compartment.objects.select_for_update().get(pk=compartment.pk)
        busy = compartment.packages.filter(status__in=LIVE).exists()
        if busy and not active:
            errors["active"] = ["此櫃格目前有包件，取件後才能停用。"]
        if errors:
            raise DomainError.invalid(errors)
        compartment.size, compartment.agency, compartment.active = size, agency, active
        compartment.save()
    return compartment


# --- Packing (sender's 收發) ---------------------------------------------------------------


def _token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(18)


def _next_number(day: dt.date) -> str:
    """包號: 民國 year + month + day + a serial of the day (1151207-0003)."""
    stem = f"{roc.roc_year(day):03d}{day.month:02d}{day.day:02d}-"
    last = (
        Package.objects.filter(number__startswith=stem)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{stem}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def make_package(
    *,
    receiver: Agency,
    dispatches: Sequence[int],
    bank: Bank,
    size: str = Size.MEDIUM,
    by,
) -> Package:
    """打包: the sending agency's 收發 puts outgoing paper documents (rows of its 發文簿 sent
    by 專差 or 親自送達 to ``receiver``, not yet packed) into one package for ``bank``."""
    _require(is_clerk(by), "只有收發人員可以打包。")
    errors: dict[str, list[str]] = {}
    _check_size(size, errors)
    wanted = list(dict.fromkeys(int(pk) for pk in dispatches))
    if not wanted:
        errors["dispatches"] = ["請勾選要打包的公文。"]
    elif len(wanted) > ITEMS_MAX:
        errors["dispatches"] = [f"一包最多 {ITEMS_MAX} 件公文。"]
    if not bank.active:
        errors["bank"] = ["此櫃組已停用，請選擇其他櫃組。"]
    if receiver.pk == by.agency_id:
        errors["receiver"] = ["受文機關不可為本機關。"]
    # The list goes in 文號 order, as the documents were numbered.
    rows = sorted(
        selectors.packable(by).filter(pk__in=wanted, agency=receiver),
        key=lambda r: r.document.number,
    )
    if wanted and not errors.get("dispatches") and len(rows) != len(wanted):
        errors["dispatches"] = [
            f"有 {len(wanted) - len(rows)} 件公文不在可打包的清單中（須為本機關以專差或親自送達"
            f"發給{receiver.name}、尚未打包的公文）。"
        ]
    if errors:
        raise DomainError.invalid(errors)
    now = timezone.now()
    try:
        with (
            transaction.atomic(),
            audit.acting_as(audit.actor_of(by)),
            audit.action("lockers:pack"),
        ):
            package = Package.objects.create(
                number=_next_number(timezone.localdate(now)),
                token=_token(),
                agency_id=by.agency_id,
                receiver=receiver,
                bank=bank,
                size=size,
                packed_by=by,
                packed_at=now,
            )
            for row in rows:
                PackageItem.objects.create(package=package, dispatch=row, document=row.document)
    except IntegrityError:
        # Another 收發 packed one of these documents (or took the number) a moment earlier.
        raise DomainError(
            "packed_meanwhile", "部分公文剛已被打包，或包號重複，請重新整理後再試。"
        ) from None
    return package


def cancel_package(package: Package, *, by) -> Package:
    """取消: a package not yet deposited; its documents may be packed again."""
    _require(is_clerk(by) and by.agency_id == package.agency_id, "只有發文機關的收發人員可以取消。")
    with transaction.atomic(), audit.acting_as(audit.actor_of(by)), audit.action("lockers:cancel"):
        package = Package.objects.select_for_update().get(pk=package.pk)
        if package.status != Status.PACKED:
            raise DomainError("not_packed", "包件已投遞，不能取消。")
        for item in package.items.all():
            item.delete()
        package.status = Status.CANCELLED
        package.save(update_fields=["status"])
    return package


# --- Opening compartments ------------------------------------------------------------------


def _free_compartment(bank: Bank, package: Package) -> Compartment | None:
    """The receiving agency's own fixed compartment first, then a shared one; the smallest
    that fits, then the lowest number. Called with the bank's row locked."""
    fits = [size for size, order in SIZE_ORDER.items() if order >= SIZE_ORDER[package.size]]
    occupied = Package.objects.filter(status__in=LIVE, compartment__isnull=False).values(
        "compartment_id"
    )
    return (
        Compartment.objects.filter(bank=bank, active=True, size__in=fits)
        .filter(Q(agency__isnull=True) | Q(agency_id=package.receiver_id))
        .exclude(pk__in=occupied)
        .annotate(
            fixed=Case(When(agency_id=package.receiver_id, then=Value(0)), default=Value(1)),
            order=Case(
                *(When(size=size, then=Value(n)) for size, n in SIZE_ORDER.items()),
                output_field=IntegerField(),
            ),
        )
        .order_by("fixed", "order", "number")
        .first()
    )


def _command(package: Package, purpose: str) -> OpenCommand:
    command = OpenCommand.objects.create(
        bank=package.bank,
        compartment=package.compartment,
        package=package,
        purpose=purpose,
        issued_at=timezone.now(),
    )
    if package.bank.simulated:
        _acknowledge(command, opened=True, error="")
    return command


def deposit(bank: Bank, qr: str) -> OpenCommand:
    """投遞: the courier scans (or types) a package's QR code at ``bank``; a compartment is
    chosen and the command to open it issued. The package is deposited once the controller
    acknowledges that the door opened."""
    token = (qr or "").strip()
    package = Package.objects.filter(token=token).select_related("receiver", "bank").first()
    if package is None or len(token) > 40:
        raise DomainError(
            "unknown_package", "查無此包件條碼，請重新掃描或洽發文機關。", {"qr": ["查無此包件。"]}
        )
    with transaction.atomic(), audit.action("lockers:deposit"):
        Bank.objects.select_for_update().get(pk=bank.pk)
        package = (
            Package.objects.select_for_update()
            .select_related("receiver", "bank")
            .get(pk=package.pk)
        )
        if package.bank_id != bank.pk:
            raise DomainError("wrong_bank", f"此包件應投遞至「{package.bank}」，請至該櫃組投遞。")
        if package.status in LIVE or package.status in (Status.COLLECTED, Status.SIGNED):
            raise DomainError("already_deposited", f"包件 {package.number} 已投遞。")
        if package.status != Status.PACKED:
            raise DomainError("cancelled", f"包件 {package.number} 已取消，不能投遞。")
        compartment = _free_compartment(bank, package)
        if compartment is None:
            raise DomainError(
                "no_compartment",
                f"此櫃組目前沒有可用的{Size(package.size).label}以上櫃格，請稍後再試或洽秘書處。",
            )
        package.compartment, package.status = compartment, Status.DEPOSITING
        package.save(update_fields=["compartment", "status"])
        return _command(package, Purpose.DEPOSIT)


def acknowledge(bank: Bank, command_id: int, *, opened: bool, error: str = "") -> OpenCommand:
    """The controller's answer to a command: the door opened (the deposit or pickup is done)
    or not (with the hardware's reason; the package goes back to where it was)."""
    with transaction.atomic(), audit.action("lockers:acknowledge"):
        command = (
            OpenCommand.objects.select_for_update()
            .filter(pk=command_id, bank=bank)
            .select_related("package", "package__bank", "package__receiver", "compartment")
            .first()
        )
        if command is None:
            raise NotFound("查無此開門指令。")
        if command.acknowledged_at is not None:
            raise DomainError("acknowledged", "此開門指令已回覆過。")
        return _acknowledge(command, opened=opened, error=error[:200])


def _acknowledge(command: OpenCommand, *, opened: bool, error: str) -> OpenCommand:
    now = timezone.now()
    command.acknowledged_at, command.opened, command.error = now, opened, error
    command.save(update_fields=["acknowledged_at", "opened", "error"])
    package = command.package
    if command.purpose == Purpose.DEPOSIT:
        if opened:
            package.status, package.deposited_at = Status.DEPOSITED, now
            package.pickup_due_at = workdays.add_working_hours(now, settings.LOCKERS_PICKUP_HOURS)
            package.save(update_fields=["status", "deposited_at", "pickup_due_at"])
            _notify_deposited(package, _issue_code(package))
        else:
            package.status, package.compartment = Status.PACKED, None
            package.save(update_fields=["status", "compartment"])
    elif opened:
        package.status, package.collected_at = Status.COLLECTED, now
        package.save(update_fields=["status", "collected_at"])
    else:
        package.status, package.collected_by, package.collected_with_code = (
            Status.DEPOSITED,
            None,
            False,
        )
        package.save(update_fields=["status", "collected_by", "collected_with_code"])
    return command


# --- Pickup codes --------------------------------------------------------------------------


def _code_hash(bank_id: int, code: str) -> str:
    return salted_hmac(
        "secretariat.lockers.pickup", f"{bank_id}:{code}", algorithm="sha256"
    ).hexdigest()


def _issue_code(package: Package) -> str:
    """A fresh one-time code for a deposited package (the previous one stops working); unique
    among the bank's waiting packages. Only its keyed hash is kept."""
    waiting = Package.objects.filter(bank_id=package.bank_id, status=Status.DEPOSITED)
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        digest = _code_hash(package.bank_id, code)
        if not waiting.filter(code_hash=digest).exclude(pk=package.pk).exists():
            break
    package.code_hash = digest
    package.code_expires_at = timezone.now() + dt.timedelta(hours=settings.LOCKERS_CODE_HOURS)
    package.save(update_fields=["code_hash", "code_expires_at"])
    return code


def clerks_of(agency_id: int) -> Iterable[User]:
    return User.objects.filter(
        agency_id=agency_id, roles__code=RoleCode.REGISTRY_CLERK, is_active=True
    ).distinct()


def _notify_deposited(package: Package, code: str) -> None:
    """The receiving 收發: a notice in the app (without the code, which is never stored) and a
    mail with the code (sealed while queued)."""
    compartment = package.compartment
    due = roc.format_datetime(package.pickup_due_at) if package.pickup_due_at else ""
    text = (
        f"{package.agency.name}送來公文 {package.items.count()} 件（包號 {package.number}），"
        f"已放入「{package.bank}」第 {compartment.number} 格，請於{due}前取件。"
    )
    url = reverse("lockers:pickups")
    emails = []
    for clerk in clerks_of(package.receiver_id):
        core_services.notify(clerk, NOTICE_TITLE, text, url, subject=package)
        if clerk.email:
            emails.append(clerk.email)
    if emails:
        expires = roc.format_datetime(package.code_expires_at)
        queue_mail(
            f"{NOTICE_TITLE}：{package.number}",
            f"{text}\n\n取件碼：{code}（{expires}前有效，限用一次）\n"
            f"於櫃組觸控螢幕輸入取件碼，或登入系統取件。",
            emails,
            purpose="lockers:pickup-code",
        )


def new_code(package: Package, *, by) -> str:
    """A receiving 收發 asks for a new pickup code (shown once; the old one stops working)."""
    _require(
        is_clerk(by) and by.agency_id == package.receiver_id, "只有受文機關的收發人員可以取件。"
    )
    with transaction.atomic(), audit.acting_as(audit.actor_of(by)), audit.action("lockers:code"):
        package = Package.objects.select_for_update().get(pk=package.pk)
        if package.status != Status.DEPOSITED:
            raise DomainError("not_waiting", "此包件不是待取件狀態。")
        return _issue_code(package)


def _limit() -> throttle.Limit:
    events, seconds = settings.LOCKERS_CODE_LIMIT
    return throttle.Limit(events, seconds)


def pickup_with_code(bank: Bank, code: str) -> OpenCommand:
    """取件 with a code at the bank's kiosk or controller: single use, expires, and a bank
    refuses codes for a while after too many wrong ones."""
    limit = _limit()
    if throttle.exceeded(CODE_SCOPE, str(bank.pk), limit):
        raise throttle.RateLimited(
            f"取件碼錯誤次數過多，請於 {limit.minutes} 分鐘後再試，或由收發人員登入取件。"
        )
    code = (code or "").strip()
    digest = _code_hash(bank.pk, code) if code.isdigit() and len(code) == CODE_DIGITS else ""
    found = (
        Package.objects.filter(bank=bank, status=Status.DEPOSITED, code_hash=digest).first()
        if digest
        else None
    )
    if found is None or found.code_expires_at <= timezone.now():
        # Counted outside any transaction, so a refusal still counts.
        throttle.hit(CODE_SCOPE, str(bank.pk))
        message = "取件碼錯誤或已失效，請確認後再輸入。"
        raise DomainError("bad_code", message, {"code": [message]})
    return _start_pickup(found, by=None)


def pickup_by_staff(package: Package, *, by) -> OpenCommand:
    """取件 by a signed-in 收發 of the receiving agency."""
    _require(
        is_clerk(by) and by.agency_id == package.receiver_id, "只有受文機關的收發人員可以取件。"
    )
    with audit.acting_as(audit.actor_of(by)):
        return _start_pickup(package, by=by)


def _start_pickup(package: Package, *, by) -> OpenCommand:
    with transaction.atomic(), audit.action("lockers:pickup"):
        package = Package.objects.select_for_update().select_related("bank").get(pk=package.pk)
        if package.status != Status.DEPOSITED:
            raise DomainError("not_waiting", "此包件不是待取件狀態。")
        package.status = Status.COLLECTING
        package.code_hash, package.code_expires_at = "", None
        package.collected_by, package.collected_with_code = by, by is None
        package.save(
            update_fields=[
                "status",
                "code_hash",
                "code_expires_at",
                "collected_by",
                "collected_with_code",
            ]
        )
        return _command(package, Purpose.PICKUP)


# --- 簽收 ---------------------------------------------------------------------------------


def sign_for(package: Package, *, by, signing_mode: str = "paper", pin: str | None = None):
    """簽收: a receiving 收發 registers every document of a collected package as a paper 收文
    of the receiving agency (來文機關, 來文字號 and 來文日期 from the sender's 發文; the
    dispatched 稿 as its scan), in one step: all or none."""
    _require(
        is_clerk(by) and by.agency_id == package.receiver_id, "只有受文機關的收發人員可以簽收。"
    )
    with (
        transaction.atomic(),
        audit.acting_as(audit.actor_of(by)),
        audit.action("lockers:sign"),
    ):
        package = Package.objects.select_for_update().select_related("agency").get(pk=package.pk)
        if package.status != Status.COLLECTED:
            raise DomainError("not_collected", "包件取件後才能簽收。")
        received = []
        for item in package.items.select_related("document", "document__agency"):
            sent = item.document
            scan = SimpleUploadedFile(
                f"{sent.number}.pdf", documents.outgoing_pdf(sent), content_type="application/pdf"
            )
            document = document_services.receive_document(
                origin="paper",
                doc_type=sent.doc_type,
                subject=sent.subject,
                sender_name=package.agency.name,
                sender_code=package.agency.official_code,
                sender_number=sent.reference,
                sender_date=sent.dispatched_on,
                speed=sent.speed,
                signing_mode=signing_mode,
                scan=scan,
                by=by,
                pin=pin,
            )
            item.received = document
            item.save(update_fields=["received"])
            received.append(document)
        package.status, package.signed_at, package.signed_by = Status.SIGNED, timezone.now(), by
        package.save(update_fields=["status", "signed_at", "signed_by"])
        core_services.resolve_notifications(package)
    return received


# --- Overdue pickups -----------------------------------------------------------------------


def remind_overdue(at: dt.datetime | None = None) -> int:
    """催取: each package waiting past its pickup time and not reminded in the last day —
    its receiving 收發 get a notice and a mail (without the code). Returns how many."""
    at = at or timezone.now()
    reminded = 0
    waiting = Package.objects.filter(selectors.overdue_q(at)).select_related(
        "agency", "bank", "compartment"
    )
    for package in waiting.exclude(reminded_at__gt=at - dt.timedelta(days=1)):
        with transaction.atomic(), audit.action("lockers:remind"):
            text = (
                f"{package.agency.name}送來的包件 {package.number} 已放在「{package.bank}」第 "
                f"{package.compartment.number} 格，逾應取件時間"
                f"（{roc.format_datetime(package.pickup_due_at)}）尚未取件，請儘速取件。"
            )
            for clerk in clerks_of(package.receiver_id):
                core_services.notify(
                    clerk, "智取櫃包件逾時未取", text, reverse("lockers:pickups"), mail=True
                )
            package.reminded_at = at
            package.save(update_fields=["reminded_at"])
        reminded += 1
    return reminded
