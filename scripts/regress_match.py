#!/usr/bin/env python3
"""Counts, per pg_regress test, how many statements print what PostgreSQL prints.

A whole-file diff says pass or fail; for an engine that is still growing we also
want to know how much of each file already matches. psql -a echoes every input
line, so each output file can be cut into one chunk per statement of the .sql
file (its echo plus what follows it). A statement matches when its chunk in
results/NAME.out equals its chunk in expected/NAME.out (or NAME_[0-9].out,
whichever matches most). EXPLAIN statements print PostgreSQL's planner's
plans, which another engine cannot reproduce, so they are counted apart.

usage: regress_match.py INPUTDIR RESULTSDIR TEST...
"""
import glob
import os
import re
import sys

EXPLAIN = re.compile(r"^\s*explain\b", re.IGNORECASE)


def split_statements(sql_lines):
    """Returns (first_line_index, text) per statement: SQL up to a line ending in ';',
    a psql meta-command line, or COPY data up to '\\.'."""
    statements, start, in_copy = [], None, False
    for i, line in enumerate(sql_lines):
        stripped = line.strip()
        if in_copy:
            if stripped == "\\.":
                in_copy = False
                statements.append((start, "\n".join(sql_lines[start:i + 1])))
                start = None
            continue
        if start is None:
            if not stripped or stripped.startswith("--"):
                continue
            start = i
        if start == i and stripped.startswith("\\"):
            statements.append((start, line))
            start = None
            continue
        code = stripped.split("--", 1)[0].rstrip() if "'" not in stripped else stripped
        if code.endswith(";") or code.endswith("\\gset") or code.endswith("\\gexec") or code.endswith("\\g"):
            text = "\n".join(sql_lines[start:i + 1])
            if re.search(r"\bfrom\s+std(in|out)\b", text, re.IGNORECASE):
                in_copy = True
                continue
            statements.append((start, text))
            start = None
    return statements


def unechoed_lines(sql_lines):
    """Input lines psql -a does not echo: COPY data after the COPY command, and
    everything from \\set ECHO none up to and including \\set ECHO all."""
    hidden, in_copy, echo_off = set(), False, False
    for i, line in enumerate(sql_lines):
        stripped = line.strip()
        if in_copy or echo_off:
            hidden.add(i)
            if in_copy and stripped == "\\.":
                in_copy = False
            if echo_off and stripped == "\\set ECHO all":
                echo_off = False
            continue
        if stripped == "\\set ECHO none":
            echo_off = True
        elif re.search(r"\bfrom\s+std(in|out)\b.*;\s*$", line, re.IGNORECASE):
            in_copy = True
    return hidden


def chunks(sql_lines, statements, out_lines):
    """Output lines that follow each statement's echo, up to the next echo."""
    starts = {first: n for n, (first, _) in enumerate(statements)}
    hidden = unechoed_lines(sql_lines)
    result = [[] for _ in statements]
    current, sql_pos = None, 0
    for line in out_lines:
        while sql_pos in hidden:
            if sql_pos in starts:
                current = starts[sql_pos]
            sql_pos += 1
        # psql -a does not echo blank input lines between statements.
        while sql_pos < len(sql_lines) and not sql_lines[sql_pos].strip() and line != sql_lines[sql_pos]:
            sql_pos += 1
        if sql_pos < len(sql_lines) and line == sql_lines[sql_pos]:
            if sql_pos in starts:
                current = starts[sql_pos]
            sql_pos += 1
            continue
        if current is not None:
            result[current].append(line)
    return result


def read_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().split("\n")


def score(test, inputdir, resultsdir):
    sql_lines = read_lines(os.path.join(inputdir, "sql", test + ".sql"))
    statements = split_statements(sql_lines)
    result_path = os.path.join(resultsdir, test + ".out")
    actual = chunks(sql_lines, statements, read_lines(result_path)) if os.path.exists(result_path) else None
    best = None
    candidates = [os.path.join(inputdir, "expected", test + ".out")]
    candidates += sorted(glob.glob(os.path.join(inputdir, "expected", test + "_[0-9].out")))
    for path in candidates:
        if not os.path.exists(path):
            continue
        expected = chunks(sql_lines, statements, read_lines(path))
        counts = [0, 0, 0, 0]  # matched, total, explain matched, explain total
        for n, (_, text) in enumerate(statements):
            slot = 2 if EXPLAIN.match(text) else 0
            counts[slot + 1] += 1
            if actual is not None and actual[n] == expected[n]:
                counts[slot] += 1
        if best is None or counts[0] + counts[2] > best[0] + best[2]:
            best = counts
    return best or [0, len(statements), 0, 0]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    inputdir, resultsdir, tests = sys.argv[1], sys.argv[2], sys.argv[3:]
    total = [0, 0, 0, 0]
    for test in tests:
        counts = score(test, inputdir, resultsdir)
        total = [a + b for a, b in zip(total, counts)]
        print(f"  {test:<18} statements {counts[0]:>4}/{counts[1]:<4} EXPLAIN {counts[2]:>3}/{counts[3]}")
    pct = 100.0 * total[0] / total[1] if total[1] else 100.0
    print(f"regress statements total: {total[0]}/{total[1]} matched ({pct:.1f}%), "
          f"EXPLAIN {total[2]}/{total[3]} counted apart")


if __name__ == "__main__":
    main()
