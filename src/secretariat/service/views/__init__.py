"""市民諮詢及志工服務 pages, one module per concern (``desk``: 服務台). Thin: forms parse,
services write, selectors read within the person's scope."""
