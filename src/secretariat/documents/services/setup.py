"""Settings of the documents workflow: an agency's profile and 發文代字, its 分層負責明細表,
who signs at which level (代理, 監印), and registering a smart card (憑證卡)."""

from __future__ import annotations

from django.db import transaction

from secretariat.core import audit
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency, RoleCode, Unit, User
from secretariat.core.permissions import is_administrator
from secretariat.core.text import check_fields, model_rule
from secretariat.documents import signing as sig  # pyHanko, pkcs11: loaded on first use
from secretariat.documents.models import (
    AgencyProfile,
    IssuingCode,
    Level,
    MatterCategory,
    Signer,
)
from secretariat.documents.services.common import certificate_record, require

MATTER_RULES = {
    "code": model_rule(MatterCategory, "code"),
    "name": model_rule(MatterCategory, "name"),
    "note": model_rule(MatterCategory, "note"),
}
CARD_RULES = {
    "token_label": model_rule(Signer, "token_label"),
    "key_label": model_rule(Signer, "key_label"),
}


def may_edit_delegation(user, agency: Agency) -> bool:
    """The 分層負責明細表 is edited by administrators and the agency's head."""
    return is_administrator(user) or (
        getattr(user, "agency_id", None) == agency.pk and user.has_role(RoleCode.HEAD)
    )


def set_matter_category(
    agency: Agency,
    *,
    code: str,
    name: str,
    level: int,
    by,
    note: str = "",
    active: bool = True,
) -> MatterCategory:
    """Add or change a row of the agency's 分層負責明細表 (matched by 項目編號)."""
    require(may_edit_delegation(by, agency), "只有系統管理者或機關首長可以修改分層負責明細表。")
    cleaned, errors = check_fields({"code": code, "name": name, "note": note}, MATTER_RULES)
    cleaned = {key: value.strip() for key, value in cleaned.items()}
    if not cleaned["code"]:
        errors.setdefault("code", []).append("請填寫項目編號。")
    if not cleaned["name"]:
        errors.setdefault("name", []).append("請填寫工作項目。")
    if level not in Level.values:
        errors["level"] = ["請選擇決行層級。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("documents:set_matter"):
        row, _ = MatterCategory.objects.update_or_create(
            agency=agency,
            code=cleaned["code"],
            defaults={
                "name": cleaned["name"],
                "level": level,
                "note": cleaned["note"],
                "active": active,
            },
        )
    return row


def set_agency_profile(agency: Agency, *, by, **fields) -> AgencyProfile:
    require(is_administrator(by), "只有系統管理者可以修改機關公文設定。")
    with transaction.atomic(), audit.action("documents:set_profile"):
        profile, _ = AgencyProfile.objects.get_or_create(agency=agency)
        for name, value in fields.items():
            setattr(profile, name, value)
        try:
            profile.full_clean()
        except Exception as error:  # ValidationError → the one error format
            raise DomainError.from_validation(error) from error
        profile.save()
    return profile


def set_issuing_code(
    agency: Agency, prefix: str, *, by, unit: Unit | None = None, in_government_name=False
) -> IssuingCode:
    require(is_administrator(by), "只有系統管理者可以設定發文代字。")
    prefix = (prefix or "").strip()
    if not prefix or len(prefix) > 20:
        raise DomainError.invalid({"prefix": ["發文代字須為 1 至 20 字。"]})
    if unit is not None and unit.agency_id != agency.pk:
        raise DomainError.invalid({"unit": ["單位須屬於該機關。"]})
    with transaction.atomic(), audit.action("documents:set_issuing_code"):
        code, _ = IssuingCode.objects.update_or_create(
            agency=agency,
            unit=unit,
            defaults={"prefix": prefix, "in_government_name": in_government_name},
        )
    return code


def set_signer(
    user: User,
    *,
    by,
    level: int | None = None,
    deputy_for: User | None = None,
    keeps_seals: bool = False,
) -> Signer:
    """Who decides at which level, whose deputy they are (代決/代行), who keeps the seals."""
    require(is_administrator(by), "只有系統管理者可以設定簽核人員。")
    errors = {}
    if level is not None and level not in Level.values:
        errors["level"] = ["請選擇決行層級。"]
    if deputy_for is not None and (
        deputy_for.pk == user.pk or deputy_for.agency_id != user.agency_id
    ):
        errors["deputy_for"] = ["職務代理之對象須為同機關的其他同仁。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("documents:set_signer"):
        signer, _ = Signer.objects.get_or_create(user=user)
        signer.level = level
        signer.deputy_for = deputy_for
        signer.keeps_seals = keeps_seals
        signer.save()
    return signer


def register_card(user: User, *, token_label: str, pin: str, key_label: str = "", by) -> Signer:
    """「登錄憑證卡」: the person opens their card with its PIN; its certificate is checked
    against the trust anchors (expired, revoked or untrusted ones are refused) and
    remembered, so each signing can tell that the same card signs."""
    require(by.pk == user.pk or is_administrator(by), "只能登錄自己的憑證卡。")
    cleaned, errors = check_fields({"token_label": token_label, "key_label": key_label}, CARD_RULES)
    if not (cleaned.get("token_label") or "").strip():
        errors.setdefault("token_label", []).append("請填寫憑證卡標籤。")
    if errors:
        raise DomainError.invalid(errors)
    spec = sig.TokenSpec(
        token_label=cleaned["token_label"].strip(),
        key_label=(cleaned.get("key_label") or "").strip() or None,
    )
    with sig.load_credential(spec, pin) as credential:
        sig.validate_certificate(credential.certificate, chain=credential.chain)
        der = credential.certificate
    with transaction.atomic(), audit.action("documents:register_card"):
        signer, _ = Signer.objects.get_or_create(user=user)
        signer.token_label = spec.token_label
        signer.key_label = spec.key_label or ""
        signer.certificate = certificate_record(der)
        signer.save()
    return signer


def rewrap_data_keys() -> int:
    """After a master key rotation: wrap every confidential document's data key under the
    newest master key (the older keys can then be retired)."""
    from secretariat.documents import secrecy
    from secretariat.documents.models import Document, Secrecy

    count = 0
    with transaction.atomic(), audit.action("documents:rewrap"):
        for document in Document.objects.exclude(secrecy=Secrecy.NONE).only(
            "pk", "uid", "wrapped_key"
        ):
            Document.objects.filter(pk=document.pk).update(
                wrapped_key=secrecy.rewrap(document.uid, document.wrapped_key)
            )
            count += 1
    return count
