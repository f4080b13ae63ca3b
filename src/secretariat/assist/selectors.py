"""Reads of the routing assistant: the training set (routed cases with their final lead
agency and the router's feedback), the active model and the names keywords know."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from secretariat.assist.models import RoutingFeedback, TrainedModel
from secretariat.cases import selectors as case_selectors
from secretariat.core.models import Agency, AgencyKind, AgencyName

if TYPE_CHECKING:  # learning loads scikit-learn (~3 s): only where a model is trained or read
    from secretariat.assist.learning import Prior

# A case the model got wrong — its top suggestion was not the case's final lead, because the
# router chose another agency or the lead was changed later by 改分 — counts this much in the
# next training (docs/assist.md says why).
OVERRULED_WEIGHT = 2.0


@dataclass(frozen=True)
class Example:
    case_id: int
    text: str
    agency: str  # the final lead agency's code
    weight: float
    overruled: bool
    has_feedback: bool


def case_text(subject: str, body: str) -> str:
    """What the suggester reads of a case (the same as the routing page passes it)."""
    return f"{subject}\n{body}"


def training_examples() -> list[Example]:
    """Every routed, non-confidential case with its final lead agency (the active lead part:
    not one withdrawn by 改分 or by filing), weighted by the router's feedback."""
    leads = case_selectors.final_leads()
    feedback = {
        case_id: (model_id, abstained, suggested)
        for case_id, model_id, abstained, suggested in RoutingFeedback.objects.values_list(
            "case_id", "trained_model_id", "abstained", "suggested"
        )
    }
    examples = []
    for case_id, subject, body, code in leads:
        model_id, abstained, suggested = feedback.get(case_id, (None, True, []))
        top = suggested[0]["agency"] if suggested else None
        overruled = model_id is not None and not abstained and top not in (None, code)
        examples.append(
            Example(
                case_id=case_id,
                text=case_text(subject, body),
                agency=code,
                weight=OVERRULED_WEIGHT if overruled else 1.0,
                overruled=overruled,
                has_feedback=case_id in feedback,
            )
        )
    return examples


def keyword_priors() -> list[Prior]:
    """The routing keyword table (分辦關鍵字: each agency's statutory duty terms as seeded, and
    whatever administrators added) as training-only cases: 「社會救助」 is a case of 社會局 at
    the keyword's weight. It teaches the model duties the history has not shown yet; keywords
    of agencies the history has no case of are left out by ``learning.usable_priors``."""
    from secretariat.assist.learning import Prior

    today = timezone.localdate()
    return [Prior(k, code, w) for k, code, w in case_selectors.routing_keywords(today)]


def keyword_terms() -> list[str]:
    """The terms of the routing keyword table (of agencies in force)."""
    return [term for term, _, _ in case_selectors.routing_keywords(timezone.localdate())]


def case_texts(case_ids) -> list[str]:
    """What the suggester reads of each of these cases."""
    return [case_text(subject, body) for subject, body in case_selectors.texts(case_ids)]


def active_model() -> TrainedModel | None:
    """The model in use, without its weights."""
    return TrainedModel.objects.defer("weights").filter(is_active=True).first()


def model_weights(pk: int) -> bytes | None:
    data = TrainedModel.objects.filter(pk=pk).values_list("weights", flat=True).first()
    return bytes(data) if data is not None else None


def trained_models() -> QuerySet[TrainedModel]:
    return TrainedModel.objects.defer("weights").select_related("trained_by")


def feedback_of(model: TrainedModel) -> dict[str, int]:
    """How routers answered a model's suggestions: routed, accepted, overruled, abstained."""
    rows = RoutingFeedback.objects.filter(trained_model=model)
    routed = rows.count()
    accepted = rows.filter(accepted=True).count()
    abstained = rows.filter(abstained=True).count()
    return {
        "routed": routed,
        "accepted": accepted,
        "abstained": abstained,
        "overruled": routed - accepted - abstained,
    }


def agencies_by_code(codes) -> dict[str, Agency]:
    return Agency.objects.in_bulk(list(codes), field_name="code")


def known_names() -> tuple[str, ...]:
    """Every agency name we know (全銜, 簡稱, former names) and the districts of the district
    offices, for keyword extraction."""
    names = set()
    for name, short, kind in Agency.objects.values_list("name", "short_name", "kind"):
        names |= {name, short}
        if kind == AgencyKind.DISTRICT_OFFICE and short.endswith("區公所"):
            names.add(short.removesuffix("公所"))
    for name, short in AgencyName.objects.values_list("name", "short_name"):
        names |= {name, short}
    return tuple(sorted(n for n in names if n))


def agency_codes_by_name() -> dict[str, str]:
    """Every name an agency is called by (全銜, 簡稱, former names) → its code: what a minutes
    draft looks for in the chair's words. A district's name (北投區) is a place, not its
    district office. A name two agencies share is left out (it names neither for sure)."""
    seen: dict[str, set[str]] = {}

    def add(name: str, code: str) -> None:
        if name:
            seen.setdefault(name, set()).add(code)

    for code, name, short in Agency.objects.values_list("code", "name", "short_name"):
        add(name, code)
        add(short, code)
    for code, name, short in AgencyName.objects.values_list("agency__code", "name", "short_name"):
        add(name, code)
        add(short, code)
    return {name: codes.pop() for name, codes in seen.items() if len(codes) == 1}


def rouge(reference: str, candidate: str):
    """ROUGE-1, -2 and -L of a draft against reference text (``minutes.rouge``)."""
    from secretariat.assist.minutes import rouge as measure

    return measure(reference, candidate)
