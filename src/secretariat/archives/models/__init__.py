"""檔案管理 records. One module per concern, re-exported here, so another concern (檔案應用,
數位化, 考評) adds its own module beside these."""

from secretariat.archives.models.catalogue import (
    Access,
    CatalogueFields,
    Disposal,
    Entry,
    FilingRule,
    FilingStatus,
    Folder,
    Item,
    Level,
    RecordStatus,
    Retention,
    Scheme,
    Secrecy,
)
from secretariat.archives.models.disposal import (
    DestructionEntry,
    DestructionList,
    DestructionReview,
    ListStatus,
    Opinion,
    ReviewStatus,
    Transfer,
)
from secretariat.archives.models.use import *  # noqa: F403  (數位化、檔案應用、考評)

__all__ = [
    "Access",
    "CatalogueFields",
    "DestructionEntry",
    "DestructionList",
    "DestructionReview",
    "Disposal",
    "Entry",
    "FilingRule",
    "FilingStatus",
    "Folder",
    "Item",
    "Level",
    "ListStatus",
    "Opinion",
    "RecordStatus",
    "Retention",
    "ReviewStatus",
    "Scheme",
    "Secrecy",
    "Transfer",
]
