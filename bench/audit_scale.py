"""The trainer's review queries against a large shared audit log.

    python -m bench.audit_scale --db-url postgresql+psycopg://USER:PASS@127.0.0.1:5432/DB [--rows 200000]

Seeds synthetic suggestions (a year of timestamps, a mix of feedback) into an empty database once,
then times the review statistics and two queue filters, each twice. Use a throw-away database.
"""

from __future__ import annotations

import json
import random
import sys
import time

from assistant.records.audit import open_audit
from assistant.settings import Settings


def seed(audit, rows: int) -> None:
    from sqlalchemy import text

    rng = random.Random(7)
    techniques = json.dumps([{"id": f"t{i}", "title": f"技巧{i}"} for i in range(5)], ensure_ascii=False)
    analysis = json.dumps({"domain": "bank", "flags": ["media_threat"]}, ensure_ascii=False)
    now = time.time()
    batch = []
    for i in range(rows):
        fb = rng.choice([None, None, "adopted", "edited", "rejected"])
        batch.append({"id": f"seed{i:09d}", "ts": now - rng.random() * 365 * 86400, "user": f"u{i % 900}",
                      "text": "排队太久了,我要投诉" * 5, "flags": rng.choice(["", "media_threat", "compensation_claim"]),
                      "analysis": analysis, "techniques": techniques, "draft": "您好,让您久等了" * 8,
                      "feedback": fb, "dist": rng.randint(1, 40) if fb == "edited" else None})
    with audit.db.begin() as conn:
        conn.execute(text(
            'INSERT INTO interactions (id, ts, "user", kind, domain, redacted_text, flags, analysis_json,'
            " techniques_json, draft, draft_source, timings_json, feedback, edit_distance) VALUES (:id, :ts, :user,"
            " 'suggest', 'bank', :text, :flags, :analysis, :techniques, :draft, 'template', '{}', :feedback, :dist)"),
            batch)


def main(db_url: str, rows: int) -> dict:
    audit = open_audit(Settings(db_url=db_url))
    if audit.count("suggest") == 0:
        seed(audit, rows)
    out: dict = {"rows": audit.count("suggest")}
    for name, call in (("stats", audit.stats),
                       ("queue_last_30_days", lambda: audit.query(since=time.time() - 30 * 86400)),
                       ("queue_by_flag", lambda: audit.query(flag="media_threat"))):
        times = []
        for _ in range(2):
            t = time.perf_counter()
            call()
            times.append(round((time.perf_counter() - t) * 1000, 1))
        out[f"{name}_ms"] = times
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    url = args[args.index("--db-url") + 1] if "--db-url" in args else ""
    if not url:
        sys.exit("需要 --db-url / --db-url is required")
    main(url, int(args[args.index("--rows") + 1]) if "--rows" in args else 200_000)
