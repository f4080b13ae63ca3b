"""The routing keyword table's seed (分辦關鍵字: each agency's statutory duty terms): loading it,
what administrators own afterwards, bad files, and the keyword suggester reading it."""

from __future__ import annotations

import json

import pytest

from secretariat.cases import services, suggest
from secretariat.cases.models import RoutingKeyword
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency, AuditEntry

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, list[str]]:
    return json.loads(services.ROUTING_KEYWORDS_PATH.read_text(encoding="utf-8"))["agencies"]


def test_the_bundled_seed_names_every_agency_of_the_registry_with_its_duties(registry):
    seed = _seed()
    assert set(seed) == set(Agency.objects.values_list("code", flat=True))
    for code, terms in seed.items():
        assert terms and len(terms) == len(set(terms)), code
    # A term names one agency's duty, not the agency itself.
    for agency in Agency.objects.all():
        assert not {agency.name, agency.short_name} & set(seed[agency.code]), agency.code


def test_loading_creates_the_rows_once_and_audits_them(registry):
    total = sum(len(terms) for terms in _seed().values())
    result = services.seed_routing_keywords()
    assert (result.created, result.unchanged) == (total, 0)
    assert RoutingKeyword.objects.count() == total
    audited = AuditEntry.objects.filter(action="cases:seed_routing_keywords")
    assert audited.count() == total
    again = services.seed_routing_keywords()
    assert (again.created, again.unchanged) == (0, total)
    assert audited.count() == total  # a second load saves nothing


def test_administrators_own_the_rows_after_seeding(registry, agency):
    services.seed_routing_keywords()
    code, terms = next(iter(_seed().items()))
    row = RoutingKeyword.objects.get(keyword=terms[0], agency__code=code)
    row.weight = 3.0
    row.save()
    RoutingKeyword.objects.filter(keyword=terms[1], agency__code=code).delete()
    result = services.seed_routing_keywords()
    row.refresh_from_db()
    assert row.weight == 3.0
    assert result.created == 1  # a seeded row that is missing comes back


def test_a_bad_file_names_every_problem_and_saves_nothing(registry, tmp_path):
    path = tmp_path / "keywords.json"
    path.write_text(
        json.dumps(
            {"agencies": {"dosw": ["社會救助", "x" * 41], "no-such": ["某業務"], "fire": "消防"}},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    with pytest.raises(DomainError) as error:
        services.seed_routing_keywords(path)
    message = error.value.message
    assert "機關代號 no-such 不在機關名錄中" in message
    assert "dosw：關鍵字 'xxxx" in message and "應為 1 至 40 字" in message
    assert "fire：關鍵字應為字串清單" in message
    assert not RoutingKeyword.objects.exists()
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(DomainError, match="應為含 agencies 物件的 JSON"):
        services.seed_routing_keywords(path)


def test_only_administrators_load_the_seed(registry, make_person):
    with pytest.raises(PermissionDenied):
        services.seed_routing_keywords(by=make_person("sec-clerk", "秘書處", "registry_clerk"))
    admin = make_person("sec-admin", "秘書處", "secretariat_admin")
    assert services.seed_routing_keywords(by=admin).created > 0


def test_the_keyword_suggester_routes_by_the_seeded_duties(registry):
    services.seed_routing_keywords()
    seed = _seed()
    for code in ("dosw", "fire", "health"):
        term = seed[code][0]
        suggestions = suggest.KeywordSuggester().suggest(f"市民陳情有關{term}的問題")
        assert suggestions and suggestions[0].agency.code == code, term
