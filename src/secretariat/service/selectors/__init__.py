"""Reads of 市民諮詢及志工服務, already limited to what the person may see. By concern:
``desk`` (服務台)."""

from secretariat.service.selectors.desk import visits_for

__all__ = ["visits_for"]
