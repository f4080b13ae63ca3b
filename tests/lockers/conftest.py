"""Fixtures of the locker tests: the Secretariat's paper-signing chain that dispatches letters
by 專差 (through the documents services, as the pages do), 警察局's 收發, and a bank."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class Office:
    people: dict
    admin: object
    police_clerk: object
    bank: object
    key: str

    def __getattr__(self, who: str):
        try:
            return self.people[who]
        except KeyError:
            raise AttributeError(who) from None

    def letter(self, subject: str = "檢送文書講習講義，請查照。", *, to="臺北市政府警察局",
               method: str = "courier"):  # fmt: skip
        """A 函 of 秘書處 decided by its head and dispatched on paper to ``to``."""
        from secretariat.documents import services

        document = services.create_document(
            doc_type="letter",
            subject=subject,
            method="draft_only",
            signing_mode="paper",
            by=self.officer,
        )
        services.save_draft(
            document,
            "outgoing",
            doc_type="letter",
            subject=subject,
            sections={"說明": "依本府文書處理實施要點辦理。", "辦法": "請查照。"},
            recipients=[{"copy": "original", "name": to, "method": method}],
            by=self.officer,
        )
        services.submit(document, to=self.head, by=self.officer)
        services.decide(document, opinion="如擬。", by=self.head)
        services.proof(document, by=self.officer)
        services.seal(document, seal_kind="agency_seal", impressions=1, by=self.keeper)
        services.dispatch(document, by=self.clerk)
        document.refresh_from_db()
        return document

    def rows(self, *documents) -> list[int]:
        from secretariat.lockers import selectors

        return [row.pk for row in selectors.packable(self.clerk).filter(document__in=documents)]

    def package(self, *documents, receiver=None, size="M", bank=None):
        from secretariat.core.registry import agency_by_name
        from secretariat.lockers import services

        documents = documents or (self.letter(),)
        return services.make_package(
            receiver=receiver or agency_by_name("警察局"),
            dispatches=self.rows(*documents),
            bank=bank or self.bank,
            size=size,
            by=self.clerk,
        )


def make_office(make_person) -> Office:
    """The people, their signers and a bank of four compartments (``make_person`` of the
    shared fixtures; the browser tests use it too)."""
    from secretariat.documents import services as documents
    from secretariat.lockers import services

    admin = make_person("lk-admin", "秘書處", "system_admin")
    people = {
        "clerk": make_person("lk-clerk", "秘書處", "registry_clerk", email="clerk@sec.example"),
        "officer": make_person("lk-officer", "秘書處", "case_officer"),
        "head": make_person("lk-head", "秘書處", "head"),
        "keeper": make_person("lk-keeper", "秘書處", "registry_clerk"),
    }
    documents.set_signer(people["head"], level=1, by=admin)
    documents.set_signer(people["keeper"], keeps_seals=True, by=admin)
    police_clerk = make_person(
        "lk-police-clerk", "警察局", "registry_clerk", email="clerk@police.example"
    )
    site = services.create_site(name="市政大樓1樓", by=admin)
    bank, key = services.create_bank(site, code="city-hall-1f", name="A 櫃組", by=admin)
    services.add_compartments(bank, count=4, size="M", by=admin)
    return Office(people, admin, police_clerk, bank, key)


@pytest.fixture
def office(make_person) -> Office:
    return make_office(make_person)
