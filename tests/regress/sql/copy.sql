--
-- COPY FROM STDIN / TO STDOUT, text and CSV, and psql's \copy
--
CREATE TABLE copy_t (a int NOT NULL, b text, c int DEFAULT 7, d numeric);
COPY copy_t FROM stdin;
1	one	10	1.5
2	\N	20	\N
3	tab\there	30	0
4	back\\slash	\N	-2.25
5	new\nline	50	3
\.
SELECT * FROM copy_t ORDER BY a;
-- column list: the others take their defaults
COPY copy_t (a, b) FROM stdin;
6	six
7	seven
\.
SELECT * FROM copy_t WHERE a >= 6 ORDER BY a;
-- CSV with quotes, a custom NULL and a header
COPY copy_t (a, b, d) FROM stdin WITH (FORMAT csv, HEADER, NULL 'NUL');
a,b,d
8,"quoted, with comma",NUL
9,"say ""hi""",1.25
10,,4
\.
SELECT * FROM copy_t WHERE a >= 8 ORDER BY a;
-- delimiter and octal / hex escapes in text format
COPY copy_t (a, b) FROM stdin WITH (DELIMITER '|');
11|\101\x42
12|pipe\|inside
\.
SELECT a, b FROM copy_t WHERE a >= 11 ORDER BY a;
-- legacy option syntax, FREEZE accepted
COPY copy_t (a, b) FROM stdin CSV;
13,legacy
\.
COPY copy_t (a) FROM stdin;
14
\.
SELECT count(*) FROM copy_t;
-- errors, each rolling back its whole COPY
COPY copy_t FROM stdin;
15	x	1	1
16	y
\.
COPY copy_t FROM stdin;
15	x	1	1	extra
\.
COPY copy_t FROM stdin;
notanint	x	1	1
\.
COPY copy_t FROM stdin;
\N	x	1	1
\.
COPY copy_t (a, nosuch) FROM stdin;
COPY copy_t (a, a) FROM stdin;
COPY nosuch FROM stdin;
COPY copy_t FROM stdin WITH (DELIMITER 'ab');
COPY copy_t FROM stdin WITH (QUOTE '"');
SELECT count(*) FROM copy_t;
-- inside a transaction block
BEGIN;
COPY copy_t (a, b) FROM stdin;
20	in block
\.
ROLLBACK;
SELECT count(*) FROM copy_t WHERE a = 20;
-- COPY TO STDOUT
COPY copy_t TO stdout;
COPY copy_t (a, b) TO stdout WITH (FORMAT csv, HEADER);
COPY copy_t (b, a) TO stdout WITH (DELIMITER ',', NULL 'none');
-- FREEZE after TRUNCATE in the same transaction, as pgbench -i does
CREATE TABLE copy_f (x int);
BEGIN;
TRUNCATE copy_f;
COPY copy_f FROM stdin WITH (FREEZE on);
1
2
\.
COMMIT;
SELECT count(*) FROM copy_f;
DROP TABLE copy_f;
-- psql's \copy
CREATE TABLE copy_u (x int, y text);
\copy copy_u from stdin
1	a
2	b
\.
\copy copy_u to stdout
\copy copy_u (y) to stdout csv
SELECT * FROM copy_u ORDER BY x;
DROP TABLE copy_t;
DROP TABLE copy_u;
