"""文件智取櫃 API (/api/v1/lockers).

The **controller API** is what a locker bank's hardware calls, authenticated by the bank's key
in the ``X-Locker-Key`` header (kept hashed; an administrator issues and rotates it): fetch
the open commands waiting for it, acknowledge each (opened or not, with the hardware's
reason), and pass on what its own scanner or keypad read — a package's QR code (deposit) or
a pickup code. Staff read their agency's packages with their usual token or session."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import APIKeyHeader

from secretariat.core import audit
from secretariat.core.api import ERRORS, ID_MAX, InputSchema, object_id
from secretariat.core.middleware import client_ip
from secretariat.core.text import api_text
from secretariat.lockers import selectors, services

router = Router(tags=["lockers"])
MAX_LIMIT = 200


class LockerKey(APIKeyHeader):
    """A bank's controller key (``X-Locker-Key: <prefix>.<secret>``)."""

    param_name = "X-Locker-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        bank = services.bank_for_key(key or "")
        if bank is None:
            return None
        request.locker_bank = bank
        services.seen(bank)
        audit.set_actor(audit.Actor(None, f"智取櫃控制器 {bank.code}", client_ip(request)))
        return bank


CONTROLLER = [LockerKey()]


class CommandOut(Schema):
    id: int
    compartment: int = Field(description="格號")
    purpose: str = Field(description="deposit（投遞）或 pickup（取件）")
    package: str = Field(description="包號")
    issued_at: dt.datetime


class AckIn(InputSchema):
    opened: bool = Field(description="櫃門是否已開啟")
    error: api_text("控制器訊息", max_length=200) = Field("", description="未開啟時的原因")


class AckOut(CommandOut):
    acknowledged_at: dt.datetime
    opened: bool
    package_status: str = Field(description="包件狀態：deposited、packed、collected 等")


class DepositIn(InputSchema):
    qr: api_text("包件條碼", max_length=40) = Field(description="封面 QR 碼內容")


class PickupIn(InputSchema):
    code: api_text("取件碼", max_length=8) = Field(description="8 位數取件碼")


class PackageOut(Schema):
    id: int
    number: str
    sender: str = Field(description="發文機關代號")
    receiver: str = Field(description="受文機關代號")
    bank: str = Field(description="櫃組代號")
    compartment: int | None = Field(None, description="格號")
    status: str
    status_label: str
    packed_at: dt.datetime
    deposited_at: dt.datetime | None
    pickup_due_at: dt.datetime | None
    collected_at: dt.datetime | None
    signed_at: dt.datetime | None
    documents: int = Field(description="公文件數")


class PackageFilters(Schema):
    status: str = Field("", max_length=12, description="狀態，空白為全部")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=ID_MAX)


def _command(command) -> dict:
    return {
        "id": command.pk,
        "compartment": command.compartment.number,
        "purpose": command.purpose,
        "package": command.package.number,
        "issued_at": command.issued_at,
    }


@router.get(
    "/controller/commands",
    auth=CONTROLLER,
    response={200: list[CommandOut], **ERRORS},
    summary="控制器：待執行的開門指令",
)
def pending_commands(request):
    """Commands not yet acknowledged, oldest first (poll every few seconds)."""
    return [_command(c) for c in selectors.pending_commands(request.locker_bank)[:MAX_LIMIT]]


@router.post(
    "/controller/commands/{command_id}/ack",
    auth=CONTROLLER,
    response={200: AckOut, **ERRORS},
    summary="控制器：回覆開門結果",
)
def acknowledge(request, payload: AckIn, command_id: int = object_id("開門指令識別碼")):
    """The door opened (the deposit or pickup is done) or not (the package goes back). A
    command of another bank is 404; one already answered is 400 ``acknowledged``."""
    command = services.acknowledge(
        request.locker_bank, command_id, opened=payload.opened, error=payload.error
    )
    return {
        **_command(command),
        "acknowledged_at": command.acknowledged_at,
        "opened": command.opened,
        "package_status": command.package.status,
    }


@router.post(
    "/controller/deposits",
    auth=CONTROLLER,
    response={201: CommandOut, **ERRORS},
    summary="控制器：掃描包件條碼（投遞）",
)
def deposit(request, payload: DepositIn):
    """A compartment is chosen and its open command returned. Refusals (400): unknown_package,
    wrong_bank, already_deposited, cancelled, no_compartment."""
    return Status(201, _command(services.deposit(request.locker_bank, payload.qr)))


@router.post(
    "/controller/pickups",
    auth=CONTROLLER,
    response={201: CommandOut, **ERRORS},
    summary="控制器：輸入取件碼（取件）",
)
def pickup(request, payload: PickupIn):
    """Single use, expires; 400 ``bad_code``; 429 ``rate_limited`` after too many wrong codes
    at the bank."""
    return Status(201, _command(services.pickup_with_code(request.locker_bank, payload.code)))


def _package(package) -> dict:
    return {
        "id": package.pk,
        "number": package.number,
        "sender": package.agency.code,
        "receiver": package.receiver.code,
        "bank": package.bank.code,
        "compartment": package.compartment.number if package.compartment else None,
        "status": package.status,
        "status_label": package.get_status_display(),
        "packed_at": package.packed_at,
        "deposited_at": package.deposited_at,
        "pickup_due_at": package.pickup_due_at,
        "collected_at": package.collected_at,
        "signed_at": package.signed_at,
        "documents": package.items.count(),
    }


@router.get("/packages", response={200: list[PackageOut], **ERRORS}, summary="包件（依權限）")
def list_packages(request, filters: Query[PackageFilters]):
    """Packages the caller's agency sent or receives (every agency's for roles that see all)."""
    rows = selectors.visible_packages(request.user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return [_package(p) for p in rows[filters.offset : filters.offset + filters.limit]]


@router.get("/packages/{package_id}", response={200: PackageOut, **ERRORS}, summary="單一包件")
def get_package(request, package_id: int = object_id("包件識別碼")):
    return _package(selectors.package_for(request.user, package_id))
