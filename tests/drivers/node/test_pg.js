// node-postgres smoke test: node test_pg.js HOST PORT USER DB [CA_FILE]
// Prints "PASS node-pg <check>" or "FAIL node-pg <check>: <reason>" per check.
// Queries with values use the extended protocol (Parse/Bind/Execute); a query
// with a `name` is prepared once and re-executed by name.
'use strict';
const fs = require('fs');
const { Client } = require('pg');

const NAME = 'node-pg';
let failures = 0;

async function check(what, fn) {
  try {
    await fn();
    console.log(`PASS ${NAME} ${what}`);
    return true;
  } catch (e) {
    failures++;
    const reason = String((e && e.message) || e).replace(/\s+/g, ' ');
    console.log(`FAIL ${NAME} ${what}: ${reason}${e && e.code ? ` (SQLSTATE ${e.code})` : ''}`);
    return false;
  }
}

function expect(actual, wanted, what) {
  const a = actual instanceof Date ? actual.getTime() : actual;
  const w = wanted instanceof Date ? wanted.getTime() : wanted;
  if (a !== w || typeof actual !== typeof wanted) {
    throw new Error(`${what}: got ${JSON.stringify(actual)} (${typeof actual}), want ${JSON.stringify(wanted)}`);
  }
}

async function main() {
  const [host, port, user, database, ca] = process.argv.slice(2);
  const client = new Client({ host, port: Number(port), user, database, connectionTimeoutMillis: 10000 });
  if (!(await check('connect', () => client.connect()))) return;
  // node-postgres reads timestamp (without time zone) as local time.
  const ts = new Date(2024, 0, 2, 3, 4, 5, 678);
  const insert = 'INSERT INTO drv_node VALUES ($1, $2, $3, $4, $5, $6)';

  await check('create table', async () => {
    await client.query('DROP TABLE IF EXISTS drv_node');
    await client.query(
      'CREATE TABLE drv_node (id int PRIMARY KEY, name text, amount numeric(10,2), ' +
        'flag boolean, ts timestamp, note text)');
  });

  await check('insert with parameters', async () => {
    const r = await client.query(insert, [1, 'alpha', '12.34', true, ts, null]);
    expect(r.rowCount, 1, 'rowCount');
    await client.query(insert, [2, "it's \"quoted\"", '-5.5', false, ts, 'x']);
  });

  await check('select typed values', async () => {
    const r = await client.query('SELECT id, name, amount, flag, ts, note FROM drv_node WHERE id = $1', [1]);
    if (r.rows.length !== 1) throw new Error(`${r.rows.length} rows`);
    const row = r.rows[0];
    expect(row.id, 1, 'int');
    expect(row.name, 'alpha', 'text');
    expect(row.amount, '12.34', 'numeric'); // pg returns numeric as a string
    expect(row.flag, true, 'bool');
    expect(row.ts instanceof Date, true, 'timestamp is a Date');
    expect(row.ts, ts, 'timestamp');
    expect(row.note, null, 'NULL');
    const r2 = await client.query('SELECT name, amount, flag FROM drv_node WHERE id = $1', [2]);
    expect(r2.rows[0].name, "it's \"quoted\"", 'text row 2');
    expect(r2.rows[0].amount, '-5.50', 'numeric row 2');
    expect(r2.rows[0].flag, false, 'bool row 2');
  });

  await check('named prepared statement', async () => {
    for (let i = 1; i <= 3; i++) {
      const r = await client.query({ name: 'by_id', text: 'SELECT name FROM drv_node WHERE id = $1', values: [i % 2 + 1] });
      expect(r.rows[0].name, i % 2 ? "it's \"quoted\"" : 'alpha', `execution ${i}`);
    }
  });

  await check('transaction rollback', async () => {
    await client.query('BEGIN');
    await client.query('INSERT INTO drv_node (id, name) VALUES ($1, $2)', [3, 'gone']);
    const inside = await client.query('SELECT count(*)::int AS n FROM drv_node');
    expect(inside.rows[0].n, 3, 'count inside the transaction');
    await client.query('ROLLBACK');
    const after = await client.query('SELECT count(*)::int AS n FROM drv_node');
    expect(after.rows[0].n, 2, 'count after ROLLBACK');
  });

  await check('sqlstate 23505', async () => {
    let code = null;
    try {
      await client.query('INSERT INTO drv_node (id, name) VALUES ($1, $2)', [1, 'dup']);
    } catch (e) {
      code = e.code;
    }
    expect(code, '23505', 'SQLSTATE of a duplicate key');
    const r = await client.query('SELECT 1 AS one');
    expect(r.rows[0].one, 1, 'SELECT 1 after the error');
  });

  await client.end();

  // With the server's CA (run.sh's 5th argument): verify-full over TLS.
  if (ca) {
    await check('tls verify-full', async () => {
      const tls = new Client({
        host, port: Number(port), user, database, connectionTimeoutMillis: 10000,
        ssl: { ca: fs.readFileSync(ca), rejectUnauthorized: true },
      });
      await tls.connect();
      try {
        const r = await tls.query('SHOW ssl');
        expect(r.rows[0].ssl, 'on', 'SHOW ssl');
        const s = await tls.query('SELECT ssl FROM pg_stat_ssl WHERE pid = $1', [tls.processID]);
        expect(s.rows.length === 1 && s.rows[0].ssl, true, 'pg_stat_ssl of this session');
      } finally {
        await tls.end();
      }
    });
  }
}

main()
  .catch((e) => {
    failures++;
    console.log(`FAIL ${NAME} unexpected: ${String(e && e.message || e)}`);
  })
  .finally(() => process.exit(failures ? 1 : 0));
