"""Benchmark: hostile input at the size limits (design.md §9: a max-length suggest in ≤ 100 ms,
redaction of 1 MB in ≤ 200 ms, no quadratic regex). Figures are printed, never asserted.

A shape that runs past its deadline is reported as such instead of hanging the benchmark: the
deadline is a signal, and regex matching checks for signals.
"""

from __future__ import annotations

import signal
import statistics
import time
from collections.abc import Callable

DEADLINE_S = 10.0
REPEATS = 3


def _fill(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def suggest_shapes(n: int) -> dict[str, str]:
    """Customer text of n characters in the shapes that once made a pattern super-linear."""
    return {
        "commas": _fill("我等了很久,", n),
        "full_width_commas": _fill("服务太差了，", n),
        "question_words": _fill("为什么,", n),
        "email_like": _fill("x@", n),
        "quotes": _fill("“”排队", n),
        "chat_paste": _fill("客户:我等了一个小时了,你们怎么回事,为什么没人管\n员工:您好,请稍等\n", n),
        "numerals": _fill("一", n),
        "digits": _fill("1", n),
        "letters": _fill("a", n),
        "one_char": _fill("吗", n),
    }


_PII_LINE = ("我叫张三丰,手机138 1234 5678,另一个135.0000.4444,身份证440304198512124569,"
             "家住建设路88号3单元502室,邮箱abc.def@qq.com,卡号6222020200112233445。")


def redaction_text(n: int = 1_000_000) -> str:
    """n characters of complaints as customers write them, with a line of PII after each round."""
    from bench.run import COMPLAINTS, _real_complaints

    return _fill("\n".join(COMPLAINTS + _real_complaints()) + "\n" + _PII_LINE + "\n", n)


def dense_redaction_text(n: int = 1_000_000) -> str:
    """n characters of nothing but PII, near-misses and long runs with no separator: the worst case."""
    runs = ["a" * 50_000, "1" * 50_000, "a." * 25_000, "x@" * 25_000, "一" * 50_000]
    return _fill(_PII_LINE, n - sum(map(len, runs)) - len(runs)) + " " + " ".join(runs)


class _Expired(Exception):
    pass


def _timed(fn: Callable[[], object], limit: float = DEADLINE_S) -> float | None:
    """Milliseconds fn took, or None when it ran past limit seconds."""

    def expire(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    t = time.perf_counter()
    try:
        fn()
        return (time.perf_counter() - t) * 1000
    except _Expired:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def measure(svc, repeats: int = REPEATS) -> dict:
    """suggest p50/max over the shapes at the input limit, and redaction of 1 MB (typical and dense)."""
    from assistant.text.redact import redact

    n = svc.settings.max_input_chars
    svc.suggest("排队太久了")  # dictionaries and encoders load on first use
    per_shape: dict[str, float | None] = {}
    all_ms: list[float] = []
    for name, text in suggest_shapes(n).items():
        runs = []
        for _ in range(repeats):
            ms = _timed(lambda text=text: svc.suggest(text))
            if ms is None:
                runs = []
                break
            runs.append(ms)
        per_shape[name] = round(statistics.median(runs), 1) if runs else None
        all_ms += runs
    redaction = {}
    for key, text in (("redact_1mb_ms", redaction_text()), ("redact_1mb_dense_ms", dense_redaction_text())):
        runs = [_timed(lambda text=text: redact(text)) for _ in range(repeats)]
        done = [ms for ms in runs if ms is not None]
        redaction[key] = round(statistics.median(done), 1) if len(done) == len(runs) else f">{DEADLINE_S:.0f}s"
    return {
        "maxlen_chars": n,
        "maxlen_suggest_p50_ms": round(statistics.median(all_ms), 1) if all_ms else None,
        "maxlen_suggest_max_ms": round(max(all_ms), 1) if all_ms else None,
        "maxlen_suggest_by_shape_ms": {k: (v if v is not None else f">{DEADLINE_S:.0f}s") for k, v in per_shape.items()},
        **redaction,
    }


def main() -> int:
    import tempfile
    from pathlib import Path

    from assistant.index.embedders import HashEmbedder
    from assistant.service import AssistantService
    from assistant.settings import Settings, get_settings

    base = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        # hash embedder: the figures are about the text pipeline, not the encoder
        svc = AssistantService(Settings(home=Path(tmp), embedder="hash"), embedder=HashEmbedder())
        svc.ensure_index()
        out = measure(svc)
    print(f"(max input {base.max_input_chars} chars; targets: suggest ≤ 100 ms, redact 1 MB ≤ 200 ms)")
    for k, v in out.items():
        print(f"{k:>26}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
