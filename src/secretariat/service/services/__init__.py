"""Writes of 市民諮詢及志工服務, one verb a function (permission → validation → change → audit
→ enqueue, in one transaction; DomainError in zh-Hant). By concern: ``desk`` (服務台)."""
