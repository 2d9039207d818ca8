--
-- types: output formats of each supported type under pg_regress's settings
-- (DateStyle 'Postgres, MDY', TimeZone America/Los_Angeles)
--
CREATE TABLE all_types (
    b boolean, s smallint, i integer, bi bigint,
    r real, d double precision, n numeric(10,3),
    t text, vc varchar(8), c char(5), by bytea,
    dt date, ts timestamp, tstz timestamptz
);
INSERT INTO all_types VALUES (
    true, -32768, 2147483647, 9223372036854775807,
    1.5, 3.141592653589793, 12345.6789,
    'text', 'varchar', 'ch', '\x0102ff',
    '2024-02-29', '2024-02-29 13:45:10.25', '2024-02-29 13:45:10+00'
);
INSERT INTO all_types (b) VALUES (NULL);
SELECT * FROM all_types ORDER BY b;
SELECT 0.1 + 0.2 AS exact, 0.1::float8 + 0.2::float8 AS inexact;
SELECT 7 / 2 AS int_div, 7.0 / 2 AS num_div, 2 ^ 10 AS power;
SELECT '2024-03-01'::date - '2024-02-01'::date AS days;
CREATE TABLE serials (id serial, big bigserial, v text);
INSERT INTO serials (v) VALUES ('a'), ('b') RETURNING *;
DROP TABLE serials;
DROP TABLE all_types;
