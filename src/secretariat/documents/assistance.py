"""The assistance the 公文 pages ask for — 文件登錄 (OCR of a scanned letter), 分文建議 and
檔案編目建議 — as a named interface. ``assist`` installs its implementation at start-up
(``AssistConfig.ready`` → :func:`install`); documents never imports ``assist`` (``assist``
reads ``cases``, which reads ``documents``: the import would be a cycle). Without an
installed assistant nothing is suggested and a scan cannot be read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from secretariat.core.errors import DomainError

if TYPE_CHECKING:
    from secretariat.assist.paperwork import FilingProposal, Learned
    from secretariat.assist.services import LetterReading


@dataclass(frozen=True)
class PastDocument:
    """One past document of an agency as the suggestions learn from it: its text (主旨), the
    unit it was distributed to (分文), the 檔號 and 保存年限 it was filed with (歸檔)."""

    text: str
    unit: str = ""
    file_code: str = ""
    retention: str = ""


class Assistant(Protocol):
    def read_letter(
        self,
        data: bytes,
        content_type: str,
        *,
        speeds: dict[str, str],
        secrecies: dict[str, str],
        no_secrecy: str,
    ) -> LetterReading: ...

    def suggest_unit(
        self, history: list[PastDocument], text: str, scope: str = ""
    ) -> Learned | None: ...

    def propose_filing(
        self, history: list[PastDocument], parts: dict[str, str], scope: str = ""
    ) -> FilingProposal | None: ...


class _Unavailable:
    def read_letter(self, data, content_type, **choices):
        raise DomainError(
            "ocr_unavailable",
            "本系統未提供文字辨識，請自行填寫欄位。",
            {"scan": ["本系統未提供文字辨識，請自行填寫欄位。"]},
        )

    def suggest_unit(self, history, text, scope=""):
        return None

    def propose_filing(self, history, parts, scope=""):
        return None


_assistant: Assistant = _Unavailable()


def install(assistant: Assistant) -> None:
    global _assistant
    _assistant = assistant


def read_letter(data: bytes, content_type: str, **choices) -> LetterReading:
    return _assistant.read_letter(data, content_type, **choices)


def suggest_unit(history: list[PastDocument], text: str, scope: str = "") -> Learned | None:
    """``scope``: whose history it is (「unit:12」), so the assistant may keep its model."""
    return _assistant.suggest_unit(history, text, scope)


def propose_filing(
    history: list[PastDocument], parts: dict[str, str], scope: str = ""
) -> FilingProposal | None:
    return _assistant.propose_filing(history, parts, scope)
