"""The import contract of the house (import-linter, run by scripts/test): a domain uses another
only through that domain's public modules — its ``services`` (writes) and ``selectors``
(reads), and the few modules it offers others to plug in (the case engine's ``kinds``,
``importers`` and ``suggest``; the report's ``structure`` and ``registry``; the search's
``registry``). ``core`` is the platform every domain may use; the project's wiring (urls,
api, settings, cli) may import anything. Configured in pyproject.toml ([tool.importlinter])."""

from __future__ import annotations

from importlinter import Contract, ContractCheck, fields, output


class PublicInterfaceContract(Contract):
    """Every import of a domain's module from another domain goes to one of its public
    modules. Options: ``domains`` (packages), ``public`` (module names every domain offers),
    ``interfaces`` (extra "domain.module" offered by one domain), ``wiring`` (modules that
    may import anything)."""

    type_name = "public_interface"

    domains = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    interfaces = fields.ListField(subfield=fields.StringField(), required=False)
    wiring = fields.ListField(subfield=fields.StringField(), required=False)

    def _allowed(self, domain: str) -> set[str]:
        names = {f"{domain}.{name}" for name in self.public}  # type: ignore[attr-defined]
        extra = self.interfaces or []  # type: ignore[attr-defined]
        names |= {name for name in extra if name.startswith(f"{domain}.")}
        return names | {domain}

    @staticmethod
    def _domain_of(module: str, domains: list[str]) -> str | None:
        return next((d for d in domains if module == d or module.startswith(f"{d}.")), None)

    def check(self, graph, verbose: bool) -> ContractCheck:
        domains = list(self.domains)  # type: ignore[attr-defined]
        wiring = set(self.wiring or [])  # type: ignore[attr-defined]
        illegal = []
        for domain in domains:
            allowed = self._allowed(domain)
            for imported in {domain, *graph.find_descendants(domain)}:
                if imported in allowed:
                    continue
                for importer in graph.find_modules_that_directly_import(imported):
                    home = self._domain_of(importer, domains)
                    if importer in wiring or home is None or home == domain:
                        continue
                    for detail in graph.get_import_details(importer=importer, imported=imported):
                        illegal.append(
                            {
                                "importer": importer,
                                "imported": imported,
                                "line": detail["line_number"],
                            }
                        )
        illegal.sort(key=lambda item: (item["importer"], item["line"]))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["illegal"]:
            output.print_error(
                f"{item['importer']}:{item['line']} imports {item['imported']}, "
                "which is not a public module of its domain (services, selectors or an "
                "interface named in pyproject.toml).",
                bold=False,
            )
            output.new_line()
