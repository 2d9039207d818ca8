"""Compares one client's answers from Tessera with PostgreSQL 15's.

    compare.py CLIENT TESSERA.json POSTGRESQL.json

Each file is what CLIENT's *_checks.py printed (check -> {"result"} or
{"error"}). Prints one line per check:
  PASS <client> <check>                 same answer as PostgreSQL 15
  FAIL <client> <check>: ...            a different answer or an error on Tessera,
                                        or an error on PostgreSQL 15 (a broken check)
  XFAIL <client> <check>: <reason>      listed in KNOWN_FAILING below and still
                                        different; counted neither as passed nor
                                        failed, and a FAIL once it passes (so the
                                        list cannot go stale)
and last "<client> passed=P failed=F" for run.sh to add up.
"""
import json
import sys

# Checks Tessera cannot pass yet, and why: each is a gap in Tessera, fixed
# in Tessera itself when it is fixed, never in the check.
KNOWN_FAILING = {
    "sqlalchemy": {
        "get_columns": "its query builds each identity column's options with json_build_object, and Tessera has no "
                       "json type",
        "get_pk_constraint": "its query unnests pg_index.indkey in a select list, and indkey is text in Tessera, "
                             "not an int2vector (unnest(text) does not exist)",
        "get_indexes": "pg_index.indkey is text, not an int2vector usable with = ANY(...)",
        "get_check_constraints": "pg_get_constraintdef gives a CHECK's expression as written, not PostgreSQL's "
                                 "deparsed form",
        "core_upsert": "ON CONFLICT DO UPDATE is supported on the primary key only, not on a unique constraint",
        "json_column": "Tessera has no json type",
    },
    "django": {
        "migrate_auth": "Django makes every foreign key DEFERRABLE INITIALLY DEFERRED, which Tessera refuses (0A000: "
                        "it checks foreign keys at the end of each statement, not at commit)",
        "migrate_shelf_initial": "DEFERRABLE INITIALLY DEFERRED foreign keys are refused (0A000); index operator "
                                 "classes (CREATE INDEX ... (name varchar_pattern_ops)) are not parsed; Django's "
                                 "get_constraints reads unnest(c.conkey) WITH ORDINALITY, which is not supported",
        "migrate_shelf_alter": "needs the tables of migration 0001 (above); its ALTER COLUMN ... TYPE and DROP "
                               "DEFAULT run on Tessera (tests/sql/ddl/alter_column.test)",
        "migrate_jsonfield": "Tessera has no jsonb type",
    },
    "pgcli": {
        "functions": "its query compares prorettype::regtype with 'trigger'::regtype and casts oid arrays to "
                     "regtype[]: Tessera has no regtype type (text to regtype casts are refused)",
    },
}
# Checks that only run once the migrations above have: listed with the
# migration they wait for, and held to the same rule.
DEPENDS_ON_MIGRATE = ("introspect_columns", "orm_create", "orm_filter_exclude", "orm_typed_values",
                      "orm_select_related", "orm_annotate_count", "orm_aggregate", "orm_update",
                      "orm_atomic_savepoint", "orm_integrity_error", "orm_get_or_create", "orm_bulk_create",
                      "orm_delete", "migrate_zero")
for _check in DEPENDS_ON_MIGRATE:
    KNOWN_FAILING["django"][_check] = "needs the shelf app's tables, which `migrate` cannot create yet (above)"
KNOWN_FAILING["django"]["migrate_zero"] += (
    "; unapplying a migration runs Django's get_constraints, whose unnest(c.conkey) WITH ORDINALITY is not supported")


def short(answer):
    text = json.dumps(answer)
    return text if len(text) <= 400 else text[:400] + "..."


def main():
    client, tessera_file, pg_file = sys.argv[1:4]
    with open(tessera_file) as f:
        tessera = json.load(f)
    with open(pg_file) as f:
        pg = json.load(f)
    known = KNOWN_FAILING.get(client, {})
    passed = failed = 0
    for check, expected in pg.items():
        got = tessera.get(check, {"error": "the check did not run on Tessera"})
        reason = known.get(check)
        if "error" in expected:
            print(f"FAIL {client} {check}: fails on PostgreSQL 15 too: {expected['error']}")
            failed += 1
        elif got == expected:
            if reason:
                print(f"FAIL {client} {check}: passes now; remove it from KNOWN_FAILING in tests/orm/compare.py")
                failed += 1
            else:
                print(f"PASS {client} {check}")
                passed += 1
        elif reason:
            print(f"XFAIL {client} {check}: {reason} ({got.get('error', 'a different answer')})")
        else:
            print(f"FAIL {client} {check}:")
            print(f"    tessera:    {short(got)}")
            print(f"    postgresql: {short(expected)}")
            failed += 1
    for check in known:
        if check not in pg:
            print(f"FAIL {client} {check}: listed in KNOWN_FAILING but no such check")
            failed += 1
    print(f"{client} passed={passed} failed={failed}")


if __name__ == "__main__":
    main()
