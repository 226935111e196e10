"""The printed table, the targets next to the results, and ``bench/latest.json``."""
import json
from pathlib import Path

LATEST = Path(__file__).resolve().parent / "latest.json"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def table(results: dict) -> str:
    bare, hello = results["bare_wagtail"]["rps"], results["hello"]["rps"]
    head = (f"{'endpoint':<24}{'conc':>5}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}"
            f"{'KiB':>7}{'÷bare':>8}{'÷hello':>8}")
    rows = [head, "-" * len(head)]
    for name, r in results.items():
        rows.append(
            f"{name:<24}{r['concurrency']:>5}{r['rps']:>9.1f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
            f"{r['queries']:>9}{r['bytes'] / 1024:>7.1f}"
            f"{_ratio(r['rps'], bare):>8}{_ratio(r['rps'], hello):>8}"
        )
    return "\n".join(rows)


def targets(results: dict, scaling: dict) -> str:
    lesson, bare = results["lesson"], results["bare_wagtail"]
    ratio = lesson["rps"] / bare["rps"]
    constant = len(set(scaling.values())) == 1
    scale = ", ".join(f"{k}: {v}" for k, v in scaling.items())

    def mark(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = [
        "Targets (reported, not asserted):",
        f"  lesson rps >= 0.8 x bare_wagtail rps  : {ratio:.2f} x -> {mark(ratio >= 0.8)}",
        f"  lesson p95 < 50 ms                    : {lesson['p95_ms']:.1f} ms"
        f" -> {mark(lesson['p95_ms'] < 50)}",
        f"  lesson queries constant in course size: {scale} -> {mark(constant)}",
    ]
    spanish = results.get("lesson_es")
    if spanish:
        es_ratio = spanish["rps"] / bare["rps"]
        # The language machinery must not slow the lesson below the bare Wagtail page.
        lines.append(
            f"  lesson_es rps >= 1.0 x bare_wagtail rps: {es_ratio:.2f} x -> {mark(es_ratio >= 1.0)}"
            f" (queries: {spanish['queries']} in Spanish, {lesson['queries']} in English)"
        )
    ce = results.get("lesson_ce")
    if ce:
        ce_ratio = ce["rps"] / bare["rps"]
        # The CE time-on-task display must not slow the lesson below the bare Wagtail page.
        lines.append(
            f"  lesson_ce rps >= 1.0 x bare_wagtail rps: {ce_ratio:.2f} x -> {mark(ce_ratio >= 1.0)}"
            f" (queries: {ce['queries']} with CE, {lesson['queries']} without)"
        )
    alone = results.get("lesson_concurrency_1")
    if alone:
        lines.append(
            f"  (lesson p95 one request at a time: {alone['p95_ms']:.1f} ms. At concurrency "
            f"{lesson['concurrency']} most latency is queueing: mean ≈ concurrency / rps "
            f"= {1000 * lesson['concurrency'] / lesson['rps']:.0f} ms.)"
        )
    return "\n".join(lines)


def machine(meta: dict) -> str:
    before, after = meta["load_average_before_after"]
    note = (f"Machine: {meta['cpus']} CPUs, 1-min load average {before} before / {after} "
            "after measuring")
    if max(before, after) > meta["cpus"] / 2:
        note += " — other work competes for the CPUs; compare ratios rather than absolutes"
    return note


def short_sql(sql: str, width: int = 150) -> str:
    """One line of SQL, trimmed: the column list becomes ``…`` to show the query's shape."""
    sql = " ".join(sql.split())
    if sql.startswith("SELECT ") and " FROM " in sql:
        sql = "SELECT … " + sql[sql.index(" FROM ") + 1 :]
    return sql if len(sql) <= width else sql[: width - 1] + "…"


def sql_breakdown(statements: list) -> str:
    lines = [f"Lesson page SQL ({len(statements)} queries, signed-in learner, warm request):"]
    lines += [f"  {i:>2}. {short_sql(q)}" for i, q in enumerate(statements, 1)]
    return "\n".join(lines)


def exam_rush(r: dict) -> str:
    """The exam rush's figures and its targets (reported, not asserted)."""
    def ms(key: str) -> str:
        return "-" if r.get(key) is None else f"{r[key]:.0f} ms"

    def mark(ok: bool) -> str:
        return "met" if ok else "NOT met"

    met, t = r["targets_met"], r["targets"]
    drain = "-" if r["drain_s"] is None else f"{r['drain_s']:.2f} s"
    lines = [
        f"Exam rush: {r['learners']} learners submit a {r['questions']}-question quiz over "
        f"{r['rush_s']:g} s; {r['stack']}",
        f"  submit (HTTP POST, JSON)  p50 {ms('submit_p50_ms')}, p95 {ms('submit_p95_ms')}, "
        f"max {ms('submit_max_ms')}",
        f"  submit-to-graded          p50 {ms('graded_p50_ms')}, p95 {ms('graded_p95_ms')}, "
        f"max {ms('graded_max_ms')}",
        f"  queue drained             {drain} after the last submit response "
        f"(seen by polling: {r['drain_observed_s'] if r['drain_observed_s'] is not None else '-'} s); "
        f"deepest queue {r['max_queue_depth']}",
        f"  grading per worker        {r['attempts_per_s_per_worker']} attempts/s over the rush "
        f"(follows the arrival rate); capacity {r['capacity_attempts_per_s_per_worker']} attempts/s "
        f"(grade task p50 {ms('grade_task_p50_ms')}, p95 {ms('grade_task_p95_ms')})",
        f"  graded {r['graded']} ({r['passed']} passed); errors {r['errors']} "
        f"(submits {r['error_detail']['submit']}, not graded {r['error_detail']['not_graded']})",
    ]
    lines += [f"    {e}" for e in r["error_detail"]["examples"]]
    lines += [
        "Exam rush targets (reported, not asserted):",
        f"  submit-to-graded p95 < {t['graded_p95_ms_below']} ms : {ms('graded_p95_ms')} -> "
        f"{mark(met['graded_p95'])}",
        f"  drained within {t['drain_s_below']} s of the last submit: {drain} -> {mark(met['drain'])}",
        f"  errors = {t['errors']}                          : {r['errors']} -> {mark(met['errors'])}",
    ]
    return "\n".join(lines)


def merge(key: str, value) -> Path:
    """Replace one key of ``latest.json`` (created if missing), keeping the others."""
    document = json.loads(LATEST.read_text()) if LATEST.exists() else {}
    document[key] = value
    return write(document)


def write(document: dict) -> Path:
    LATEST.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return LATEST
