"""Generated meetings for the minutes drafting assistance: reference minutes per item (report,
discussion, the chair's directives naming agencies) and a transcript a meeting with those
minutes could have produced — the chair moving the meeting along, the presenting agency
reporting, others discussing, everyone with fillers and asides — at about 240 characters a
minute. Deterministic for a seed. Used by the tests and by bench/meetings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

TOPICS = [
    ("社會住宅興建進度", "都發局", "北投區與南港區社會住宅基地", "交通局", "施工期間交通維持計畫"),
    (
        "夜市周邊違規停車取締",
        "警察局",
        "士林夜市與寧夏夜市周邊",
        "交通局",
        "夜市接駁及停車格位調整方案",
    ),
    ("公車路網調整", "交通局", "內湖科技園區通勤路線", "捷運局", "捷運接駁轉乘優惠方案"),
    ("登革熱防治", "衛生局", "各區積水容器清除", "環保局", "孳生源清除稽查計畫"),
    ("資源回收成效", "環保局", "家戶資源回收及廚餘", "教育局", "校園資源回收宣導計畫"),
    ("老舊校舍耐震補強", "教育局", "國中小老舊校舍", "工務局", "補強工程期程及預算"),
    ("長照服務據點布建", "社會局", "各行政區長照巷弄站", "衛生局", "醫療與長照資源整合方案"),
    ("防汛整備", "工務局", "抽水站及雨水下水道", "消防局", "防汛期間應變編組計畫"),
    ("觀光行銷活動", "觀傳局", "跨年晚會及燈節", "警察局", "大型活動人流管制計畫"),
    ("青年創業補助", "產業局", "青年創業貸款及育成空間", "青年局", "青年創業輔導整合方案"),
]
FILLERS = [
    "那個，我們這邊補充一下背景。",
    "嗯，謝謝主席。",
    "這部分我們會再持續努力。",
    "大概是這樣的情形。",
    "就是說，相關的資料我們已經放在附件裡面。",
    "好，我先報告到這邊。",
]


@dataclass
class ReferenceItem:
    title: str
    agency: str
    summary: str
    speaker: str
    report: list[str]
    discussion: list[tuple[str, str]]  # (speaker, sentence)
    directives: list[tuple[str, tuple[str, ...]]]  # (text, agency short names)

    @property
    def reference_text(self) -> str:
        """The reference minutes of the item (report, discussion, decisions)."""
        decisions = "".join(text for text, _ in self.directives)
        return "\n".join(("".join(self.report), "".join(s for _, s in self.discussion), decisions))


@dataclass
class GeneratedMeeting:
    items: list[ReferenceItem]
    transcript: str = ""
    seconds: int = 0
    boundaries: list[int] = field(default_factory=list)  # utterance index where each item starts


def _item(rng: random.Random, index: int) -> ReferenceItem:
    title, agency, subject, partner, plan = TOPICS[index % len(TOPICS)]
    if index >= len(TOPICS):
        title = f"{title}（第{index // len(TOPICS) + 1}期）"
    percent, count, months = rng.randint(5, 40), rng.randint(3, 60), rng.randint(1, 3)
    report = [
        f"{subject}目前辦理進度約為百分之{percent + 50}，預計{months + 2}個月內完成。",
        f"今年已完成{count}處，較去年同期增加百分之{percent}。",
        f"經費執行率達百分之{percent + 40}，將持續督導廠商依約履行。",
    ]
    discussion = [
        (f"{partner}代表", f"{partner}會配合{agency}辦理，並就{plan}提供意見。"),
        ("秘書長", f"請各機關注意{subject}的民眾溝通，避免陳情增加。"),
    ]
    directives = [
        (f"請{agency}於{months}個月內提出{plan}，並會同{partner}辦理。", (agency, partner)),
        (f"請{agency}儘速檢討{subject}的執行落後部分，下次會議提報。", (agency,)),
    ]
    return ReferenceItem(
        title=f"{title}報告",
        agency=agency,
        summary=f"{subject}辦理情形與後續規劃。",
        speaker="局長",
        report=report,
        discussion=discussion,
        directives=directives,
    )


def generate(items: int = 6, *, seed: int = 115, fillers: int = 2) -> GeneratedMeeting:
    """A meeting of ``items`` agenda items; ``fillers`` asides per spoken sentence pad the
    transcript towards a real meeting's length."""
    rng = random.Random(seed)
    meeting = GeneratedMeeting([_item(rng, i) for i in range(items)])
    lines: list[str] = []
    clock = 0

    def say(speaker: str, text: str) -> None:
        nonlocal clock
        hours, rest = divmod(clock, 3600)
        lines.append(f"[{hours:02d}:{rest // 60:02d}:{rest % 60:02d}] {speaker}：{text}")
        clock += max(5, len(text) // 4)  # about 240 characters a minute

    def padded(sentence: str) -> str:
        return sentence + "".join(rng.choice(FILLERS) for _ in range(fillers))

    say("主席", "各位同仁早安，我們會議開始。")
    for number, item in enumerate(meeting.items, start=1):
        meeting.boundaries.append(len(lines))
        say("主席", f"進行第{number}案，請{item.agency}報告。")
        for sentence in item.report:
            say(f"{item.agency}{item.speaker}", padded(sentence))
        for speaker, sentence in item.discussion:
            say(speaker, padded(sentence))
        say("主席", "好，" + "".join(text for text, _ in item.directives))
    say("主席", "今天會議到此，散會。")
    meeting.transcript = "\n".join(lines)
    meeting.seconds = clock
    return meeting
