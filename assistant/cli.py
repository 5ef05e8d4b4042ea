"""`python -m assistant`: a thin adapter over AssistantService. JSON goes to stdout, logs to stderr."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from assistant.errors import AssistantError, InputError
from assistant.labels import DIFFICULT_TYPES, EMOTIONS, FLAGS, PERSONALITIES, PURPOSES, ZONES, label_name


def _service():
    from assistant.service import AssistantService

    return AssistantService()


def _read_text(value: str) -> bytes | str:
    return sys.stdin.buffer.read() if value == "-" else value


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


# a batch line holds one input of at most max_input_chars; a line longer than this is not one
MAX_LINE_BYTES = 1 << 20


def _open_jsonl(path: str) -> BinaryIO:
    """The batch file as bytes; a missing or unreadable file is an input error (exit 2), not a crash."""
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by _batch
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"无法读取批量文件 {path}:{reason}", f"cannot read the batch file {path}: {reason}") \
            from None


def _line_error(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def _usable_id(item: dict) -> tuple[object, str | None]:
    """The line's id (a string or an integer) or None, and an error when the id is there but unusable."""
    if "id" not in item or item["id"] is None:
        return None, None
    value = item["id"]
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value, None
    return None, _line_error("id 须为字符串或整数", "id must be a string or an integer")


def _salvage_id(raw: bytes) -> object:
    """The id of a line whose text is not UTF-8, when the id itself came through intact."""
    try:
        item = json.loads(raw.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return None
    item_id = _usable_id(item)[0] if isinstance(item, dict) else None
    return None if isinstance(item_id, str) and "\ufffd" in item_id else item_id


def _parse_line(raw: bytes, n: int) -> tuple[object, str | None, str | None]:
    """(id, text, error) for one line: text is set when the line is usable, error when it is not."""
    if len(raw.rstrip(b"\r\n")) > MAX_LINE_BYTES:
        return None, None, _line_error(f"该行超过 {MAX_LINE_BYTES} 字节", f"line longer than {MAX_LINE_BYTES} bytes")
    try:
        line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
    except UnicodeDecodeError:
        return _salvage_id(raw), None, _line_error("该行不是有效的 UTF-8 文字", "line is not valid UTF-8")
    try:
        item = json.loads(line)
    except RecursionError:
        return None, None, _line_error("该行 JSON 嵌套过深", "line is JSON nested too deeply")
    except ValueError:  # JSONDecodeError, and integers too long to convert
        return None, None, _line_error('该行不是 {"id","text"} JSON', 'line is not {"id","text"} JSON')
    if not isinstance(item, dict):
        return None, None, _line_error('该行不是 {"id","text"} JSON 对象', 'line is not a {"id","text"} JSON object')
    item_id, id_error = _usable_id(item)
    if id_error:
        return item_id, None, id_error
    if "text" not in item:
        return item_id, None, _line_error("该行缺少 text", "line has no text")
    if not isinstance(item["text"], str):  # null, numbers and lists are not a customer's words
        return item_id, None, _line_error("text 须为字符串", "text must be a string")
    return item_id, item["text"], None


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Numbered non-blank lines; an overlong line is cut at MAX_LINE_BYTES + 1 and its rest skipped."""
    n = 0
    try:
        while raw := stream.readline(MAX_LINE_BYTES + 1):
            n += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
            if raw.strip():
                yield n, raw
    except OSError as exc:  # the lines before it already have their results
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"批量文件第 {n} 行读取失败:{reason}", f"reading line {n} of the batch file failed: {reason}") \
            from None


def _batch(stream: BinaryIO, fn: Callable[[str], dict]) -> int:
    """One output line per input line, carrying its line number and id; a bad line gets an error
    object and the batch goes on. Exit 2 when any line failed."""
    failures = 0
    with stream:
        for n, raw in _lines(stream):
            item_id, text, error = _parse_line(raw, n)
            if error is None:
                try:
                    result = fn(text)
                except AssistantError as exc:
                    error = exc.message
                except Exception as exc:  # one line's failure must not cost the others their results
                    if os.environ.get("ASSISTANT_DEBUG"):
                        raise
                    error = f"内部错误 / internal error: {type(exc).__name__}: {exc}"
            if error is not None:
                _emit({"line": n, "id": item_id, "error": error})
                failures += 1
            else:
                _emit({"line": n, "id": item_id, **result})
    return 2 if failures else 0


def _progress():
    from assistant.index.disk import tqdm_progress

    return tqdm_progress()


# ---- commands ----------------------------------------------------------------------------
def cmd_index(args) -> int:
    svc = _service()
    update, close = _progress()
    try:
        report = svc.rebuild(update)  # incremental: unchanged cards reuse their vectors
    finally:
        close()
    print(f"索引完成 / indexed: {report.cards} cards, {report.exemplars} exemplars, embedded {report.embedded}, "
          f"reused {report.reused}, {report.seconds:.1f}s, version {report.version}", file=sys.stderr)
    return 0


def cmd_suggest(args) -> int:
    batch = _open_jsonl(args.jsonl) if args.jsonl else None  # a missing file fails before the index is built
    svc = _service()
    svc.ensure_index(_progress()[0])
    if batch is not None:
        return _batch(batch, lambda t: svc.suggest(t, domain=args.domain).as_dict())
    result = svc.suggest(_read_text(args.text), domain=args.domain, record=True, channel="cli")
    if args.json:
        _emit(result.as_dict())
    else:
        print(render_suggest(result.as_dict()))
    return 0


def cmd_ask(args) -> int:
    batch = _open_jsonl(args.jsonl) if args.jsonl else None
    svc = _service()
    svc.ensure_index(_progress()[0])
    if batch is not None:
        return _batch(batch, lambda t: svc.ask(t).as_dict())
    ans = svc.ask(_read_text(args.question), record=True, channel="cli")
    if args.json:
        _emit(ans.as_dict())
    else:
        print(ans.answer)
        for c in ans.citations:
            print(f"  —— 出处:《{c['source']}》{c['section']}")
    return 0


def cmd_check(args) -> int:
    # checking needs no index or embedder, so it skips the service's start-up
    from assistant.reply.checker import check
    from assistant.settings import get_settings
    from assistant.text.validate import validate

    settings = get_settings()
    if args.jsonl:
        return _batch(_open_jsonl(args.jsonl), lambda t: check(validate(t, settings.max_input_chars)).as_dict())
    result = check(validate(_read_text(args.text), settings.max_input_chars))
    if args.json:
        _emit(result.as_dict())
    else:
        if result.ok and not result.findings:
            print("✓ 未发现问题 / no findings")
        for f in result.findings:
            print(f"✗ [{f.rule}] {f.title}:「{f.span}」\n    建议:{f.advice}")
    return 0 if result.ok else 1


def cmd_search(args) -> int:
    svc = _service()
    svc.ensure_index(_progress()[0])
    hits = svc.search(args.query, k=args.k, mode=args.mode)
    if args.json:
        _emit({"query": args.query, "mode": args.mode or svc.settings.retriever, "results": [h.as_dict() for h in hits]})
    else:
        for i, h in enumerate(hits, 1):
            print(f"{i:2d}. {h.card.title} [{h.card.id}] score={h.score:.4f} bm25#{h.bm25_rank} dense#{h.dense_rank}")
    return 0


def cmd_serve(args) -> int:
    from ui.app import serve

    serve(host=args.host, port=args.port)
    return 0


def cmd_bench(args) -> int:
    from bench.run import main as bench_main

    return bench_main(json_out=args.json, n=args.n, baseline=not args.no_baseline)


def cmd_eval(args) -> int:
    from eval.runner import main as eval_main

    return eval_main(args)


def cmd_register(args) -> int:
    from assistant.records.register import PLAN_CLASSES, date_range, open_register
    from assistant.settings import get_settings

    since, until = date_range(args.date_from, args.date_to)
    reg = open_register(get_settings())
    if args.action == "list":
        rows = reg.list(since, until)
        if args.json:
            _emit({"cases": rows, "stats": reg.report_stats(since, until)})
        for r in [] if args.json else rows:
            late = " ⚠超时:" + "、".join(r["overdue"]) if r["overdue"] else ""
            print(f"{r['id']} {r['received_at'][:16]} {r['branch']} {r['status']} {r['count_class']} "
                  f"{PLAN_CLASSES[r['plan_class']]} {r['matter'][:30]}{late}")
        return 0
    if args.action == "stats":  # counts by topic and by business type × cause × channel (JR/T 0169-2018)
        stats = reg.report_stats(since, until)
        if args.out:
            from assistant.records.register import export_stats

            out = Path(args.out)
            out.parent.mkdir(parents=True, exist_ok=True)
            export_stats(stats, out)
        if args.json or not args.out:
            _emit(stats)
        else:
            print(args.out)
        return 0
    if args.action == "show":
        if not args.id:
            raise AssistantError("show 需要 --id", "show needs --id")
        try:
            case = reg.get(args.id)
        except KeyError:
            raise AssistantError(f"没有这个登记 {args.id}", f"no such case {args.id}") from None
        case = {k: v for k, v in case.items() if not k.endswith("_enc")}
        _emit({**case, "count_class": reg.count_class(args.id), "overdue": reg.overdue(args.id),
               "deadlines": [{"name": d.name, "due": d.due.isoformat()} for d in reg.deadlines(args.id)],
               "events": reg.events(args.id)})
        return 0
    out = Path(args.out or get_settings().resolved_home() / "exports" / "register.xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    print(reg.export(out, since, until))
    return 0


def cmd_practice(args) -> int:
    """Rehearse a scripted difficult customer: interactive, or a file of replies (one a line) for scripts."""
    import time

    from assistant.reply.practice import DIFFICULTIES

    svc = _service()
    practice = svc.practice
    scenarios = practice.scenarios()
    if args.list:
        for s in scenarios:
            line = {"id": s.id, "domain": s.domain, "title": s.title, "difficult_type": s.difficult_type,
                    "flags": s.flags, "turns": s.turns}
            _emit(line) if args.json else print(f"{s.id:28} {label_name(s.domain)} {label_name(s.difficult_type)}"
                                                f"  {s.title}")
        return 0
    if args.scores or args.export:
        if args.export:
            print(practice.export(fmt=args.export))
            return 0
        board = practice.scores()
        if args.json:
            _emit({k: v for k, v in board.items() if k != "sessions"})
        for person, v in board["per_person"].items():
            print(f"{person}: {v['sessions']} 次,平均 {v['mean']} 分,最近 {v['latest']} 分")
        return 0
    scripted = args.replies is not None
    replies = iter([])
    if scripted:
        raw = sys.stdin.read() if args.replies == "-" else _read_file(args.replies)
        replies = iter([line.strip() for line in raw.splitlines() if line.strip()])
    scenario_id = args.scenario
    if not scenario_id:
        if scripted:
            raise InputError("脚本模式须用 --scenario 指定场景", "--replies needs --scenario")
        for i, s in enumerate(scenarios, 1):
            print(f"{i:2}. [{label_name(s.domain)}·{label_name(s.difficult_type)}] {s.title}")
        pick = input("选择场景编号 / scenario number: ").strip()
        if not pick.isdigit() or not 1 <= int(pick) <= len(scenarios):
            raise InputError("没有这个编号", "no such number")
        scenario_id = scenarios[int(pick) - 1].id
    scenario = practice.scenario(scenario_id)
    session = practice.start(scenario.id, args.difficulty)
    say = (lambda *_: None) if args.json else print
    say(f"【{scenario.title}】难度:{DIFFICULTIES[args.difficulty]}\n{scenario.situation}\n")
    error = None
    while not session.finished:
        pending = session.exchanges[-1]
        say(f"客户({EMOTIONS[pending.mood]}):{pending.customer}")
        started = time.monotonic()
        text = next(replies, None) if scripted else input("您的回复 / your reply> ")
        if text is None:
            break
        session, error = practice.reply(session, text, seconds=time.monotonic() - started, model=not args.no_model,
                                        timed=not scripted)
        done = session.exchanges[len(session.exchanges) - (1 if session.finished else 2)]
        say(f"  本轮得分 {done.score}:" + ";".join(f"{r.points:+d} {r.text}" for r in done.reasons))
        if done.model_reply:
            say(f"  参考回复:{done.model_reply}")
    if not session.finished:
        say("回复用完了,练习没有结束,成绩不保存 / replies ran out before the end; nothing stored")
    else:
        say(f"客户:{session.closing}\n总分 {session.score}:" + ";".join(r.text for r in session.reasons))
    if error:
        print(error, file=sys.stderr)
    if args.json:
        _emit(session.model_dump())
    return 0 if session.finished else 1


def _read_file(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取文件 {path}:{type(exc).__name__}", f"cannot read {path}: {exc}") from None


def cmd_user(args) -> int:
    import getpass

    from assistant.records.users import open_user_store
    from assistant.settings import get_settings

    store = open_user_store(get_settings())
    if args.action == "list":
        _emit([{"name": u.name, "role": u.role, "branch": u.branch} for u in store.list()])
        return 0
    if not args.name:
        raise AssistantError(f"user {args.action} 需要用户名", f"user {args.action} needs a name")
    if args.action == "remove":
        if not store.remove(args.name):
            raise AssistantError(f"没有这个用户 {args.name}", f"no such user {args.name}")
        print(f"已删除用户 / removed user {args.name}", file=sys.stderr)
        return 0
    if not args.role:
        raise AssistantError("user add 需要 --role", "user add needs --role")
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("密码 / password: ")
    store.add(args.name, args.role, password, branch=args.branch)
    print(f"已保存用户 / saved user {args.name} ({args.role})", file=sys.stderr)
    return 0


def cmd_token(args) -> int:
    """API tokens for the branch systems: the token itself is printed once, on stdout alone, so a
    script can capture it; only its hash is stored."""
    import datetime

    from assistant.records.users import open_user_store
    from assistant.settings import get_settings

    store = open_user_store(get_settings())
    if args.action == "list":
        _emit([{**t, "created": datetime.datetime.fromtimestamp(t["created"]).isoformat(timespec="seconds")}
               for t in store.tokens(args.name)])
        return 0
    if not args.name:
        what = "令牌编号" if args.action == "revoke" else "用户名"
        raise AssistantError(f"token {args.action} 需要{what}", f"token {args.action} needs a "
                             + ("token id" if args.action == "revoke" else "user name"))
    if args.action == "revoke":
        if not store.revoke_token(args.name):
            raise AssistantError(f"没有这个令牌 {args.name}", f"no such token {args.name}")
        print(f"已吊销令牌 / revoked token {args.name}", file=sys.stderr)
        return 0
    token_id, token = store.create_token(args.name, args.label)
    print(token)
    print(f"已为 {args.name} 创建令牌 {token_id};令牌只显示这一次,请妥善保存 / token {token_id} created for "
          f"{args.name}; it is shown only this once", file=sys.stderr)
    return 0


def render_suggest(d: dict) -> str:
    a = d["analysis"]
    lines = ["【情境研判】",
             f"  情绪:{a['emotion']} {EMOTIONS[a['emotion']]}   领域:{label_name(a['domain'])}",
             f"  目的:{'、'.join(PURPOSES[p] for p in a['purposes']) or '—'}",
             f"  性格:{PERSONALITIES.get(a['personality'], '—')}   区域:{ZONES.get(a['zone'], '—')}",
             f"  难缠类型:{'、'.join(DIFFICULT_TYPES[t] for t in a['difficult_types']) or '—'}",
             f"  风险:{'、'.join('⚠ ' + FLAGS[f] for f in a['flags']) or '无'}"]
    for code, why in a["reasons"].items():
        if code in FLAGS:
            lines.append(f"    · {'; '.join(why)}")
    lines.append("【推荐技巧】")
    for t in d["techniques"]:
        lines.append(f"  · {t['title']}({t['source'].split(';')[0]})\n      为什么:{t['why']}")
    lines += ["【回复草稿】", "  " + d["draft"]]
    status = "通过" if d["check"]["ok"] else "有问题"
    lines.append(f"【话术检查】{status}")
    for f in d["check"]["findings"]:
        lines.append(f"  ✗ {f['title']}:「{f['span']}」 建议:{f['advice']}")
    lines.append("【下一步】")
    lines += [f"  {i}. {s}" for i, s in enumerate(d["next_steps"], 1)]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="投诉应对助手 / complaint-reply assistant")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("index", help="build the index from knowledge/")
    s.add_argument("--rebuild", action="store_true")
    s.set_defaults(fn=cmd_index)

    s = sub.add_parser("suggest", help="analysis, techniques, draft, check and next steps")
    s.add_argument("text", nargs="?", default="-")
    s.add_argument("--json", action="store_true")
    s.add_argument("--jsonl", metavar="FILE")
    s.add_argument("--domain", choices=["bank", "real_estate"])
    s.set_defaults(fn=cmd_suggest)

    s = sub.add_parser("ask", help="policy answer with citations")
    s.add_argument("question", nargs="?", default="-")
    s.add_argument("--json", action="store_true")
    s.add_argument("--jsonl", metavar="FILE")
    s.set_defaults(fn=cmd_ask)

    s = sub.add_parser("check", help="run the reply checker on a draft")
    s.add_argument("text", nargs="?", default="-")
    s.add_argument("--json", action="store_true")
    s.add_argument("--jsonl", metavar="FILE")
    s.set_defaults(fn=cmd_check)

    s = sub.add_parser("search", help="fused ranking with each retriever's rank (debugging aid)")
    s.add_argument("query")
    s.add_argument("--json", action="store_true")
    s.add_argument("-k", type=int, default=10)
    s.add_argument("--mode", choices=["hybrid_boost", "hybrid", "bm25", "dense"])
    s.set_defaults(fn=cmd_search)

    s = sub.add_parser("eval", help="run the eval set")
    s.add_argument("--cases", type=Path)
    s.add_argument("--split", choices=["dev", "holdout", "test", "all"], default="test")
    s.add_argument("--report", type=Path)
    s.add_argument("--json", action="store_true")
    s.add_argument("--baselines", action="store_true", help="also run BM25/dense/hybrid baselines")
    s.add_argument("--retriever", choices=["hybrid_boost", "hybrid", "bm25", "dense"])
    s.add_argument("--embedder", choices=["use", "m3e-small", "minilm"])
    s.add_argument("--judge", action="store_true", help="also score drafts with the LLM judge (needs ASSISTANT_LLM)")
    s.add_argument("--drafter", choices=["template", "llm", "both"], default="template",
                   help="llm/both: compare template and LLM drafts (needs ASSISTANT_LLM)")
    s.set_defaults(fn=cmd_eval)

    s = sub.add_parser("serve", help="start the Gradio app")
    s.add_argument("--host", default=None)
    s.add_argument("--port", type=int, default=None)
    s.set_defaults(fn=cmd_serve)

    s = sub.add_parser("user", help="add or update a user (password from stdin or a prompt), list, or remove one")
    s.add_argument("action", choices=["add", "list", "remove"])
    s.add_argument("name", nargs="?")
    s.add_argument("--role", choices=["staff", "manager", "trainer", "admin"])
    s.add_argument("--branch", default="", help="the branch whose register entries this user may open")
    s.set_defaults(fn=cmd_user)

    s = sub.add_parser("token", help="HTTP API tokens: create NAME (printed once), list [NAME], revoke ID")
    s.add_argument("action", choices=["create", "list", "revoke"])
    s.add_argument("name", nargs="?", help="the user (create, list) or the token id (revoke)")
    s.add_argument("--label", default="", help="what the token is for, e.g. the system that holds it")
    s.set_defaults(fn=cmd_token)

    s = sub.add_parser("register", help="complaint register for managers: list, show, export")
    s.add_argument("action", choices=["list", "show", "export", "stats"])
    s.add_argument("--id")
    s.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", help="YYYY-MM-DD (that day included)")
    s.add_argument("--out", help="export path, .xlsx or .csv")
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_register)

    s = sub.add_parser("practice", help="rehearse a scripted difficult customer; scores and export")
    s.add_argument("--scenario", help="scenario id (see --list); asked for when missing")
    s.add_argument("--difficulty", choices=["easy", "normal", "hard"], default="normal")
    s.add_argument("--replies", "--script", dest="replies", metavar="FILE",
                   help="replies one a line ('-' for stdin) instead of typing them; time is not scored")
    s.add_argument("--no-model", action="store_true", help="skip the model reply shown after each turn")
    s.add_argument("--list", action="store_true", help="list the scenarios")
    s.add_argument("--scores", action="store_true", help="scores per person")
    s.add_argument("--export", choices=["csv", "xlsx"], help="export the scores; prints the file path")
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_practice)

    s = sub.add_parser("bench", help="index build time, query and suggest latency, peak RSS")
    s.add_argument("--json", action="store_true")
    s.add_argument("-n", type=int, default=200)
    s.add_argument("--no-baseline", action="store_true", help="skip the LangChain baseline comparison")
    s.set_defaults(fn=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args)
    except AssistantError as exc:
        print(f"错误 / error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for users; ASSISTANT_DEBUG=1 shows it
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        print(f"内部错误 / internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
