-- The database tests/pg_dump/run.sh dumps and restores: every column type
-- Tessera stores, defaults, NOT NULL, keys, unique constraints, indexes,
-- CHECK and FOREIGN KEY constraints, serial columns and a free-standing
-- sequence (with values taken), views, comments, and rows, including NULLs,
-- quotes, backslashes, tabs and newlines that COPY must escape.
CREATE TABLE customers (
  id serial PRIMARY KEY,
  name text NOT NULL,
  email varchar(120) UNIQUE,
  country char(2) NOT NULL DEFAULT 'NL',
  active boolean NOT NULL DEFAULT true,
  created date,
  CONSTRAINT customers_name_check CHECK (length(name) > 0)
);
CREATE TABLE products (
  sku bigint PRIMARY KEY,
  title text NOT NULL,
  price numeric(10,2) NOT NULL CHECK (price >= 0),
  weight real,
  ratio double precision,
  stock smallint DEFAULT 0,
  photo bytea,
  tags text[],
  added timestamp,
  changed timestamptz
);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  sku bigint REFERENCES products (sku),
  quantity integer NOT NULL DEFAULT 1,
  note text,
  CONSTRAINT orders_quantity_check CHECK (quantity > 0)
);
CREATE TABLE order_lines (
  order_id bigint NOT NULL,
  line integer NOT NULL,
  amount numeric,
  PRIMARY KEY (order_id, line),
  CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
);
CREATE TABLE pairs (a integer NOT NULL, b integer NOT NULL, CONSTRAINT pairs_a_b_key UNIQUE (a, b));
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE UNIQUE INDEX products_title_idx ON products (title);
CREATE INDEX customers_country_created_idx ON customers (country, created DESC);
CREATE SEQUENCE invoice_numbers START 1000 INCREMENT 10;
CREATE VIEW active_customers AS SELECT id, name, email FROM customers WHERE active;
CREATE VIEW order_totals AS
  SELECT o.customer_id, count(*) AS orders, sum(o.quantity) AS quantity
  FROM orders o GROUP BY o.customer_id;
COMMENT ON TABLE customers IS 'People who buy';
COMMENT ON COLUMN customers.email IS 'Where the invoices go';
COMMENT ON VIEW order_totals IS 'Orders per customer';

INSERT INTO customers (name, email, country, active, created) VALUES
  ('Ada', 'ada@example.com', 'GB', true, '2024-01-02'),
  ('Bob "the builder"', NULL, 'NL', false, NULL),
  ('Tab	and
newline', 'c\d@example.com', 'DE', true, '1999-12-31');
INSERT INTO products VALUES
  (1, 'widget', 9.99, 1.5, 0.125, 10, '\xdeadbeef', '{a,b}', '2024-05-06 07:08:09', '2024-05-06 07:08:09+02'),
  (2, 'gadget', 0, NULL, '-1e300', NULL, NULL, NULL, NULL, NULL),
  (3, 'it''s', 12345678.90, 3.25, 2.5, -3, '\x', '{"with space",NULL}', '2000-02-29 00:00:00', '1970-01-01 00:00:00+00');
INSERT INTO orders (customer_id, sku, quantity, note) VALUES
  (1, 1, 2, 'first'), (1, 2, 1, NULL), (2, 3, 5, 'back\slash'), (3, NULL, 1, '');
INSERT INTO order_lines VALUES (1, 1, 10.5), (1, 2, NULL), (3, 1, 1e-5);
INSERT INTO pairs VALUES (1, 2), (2, 1), (1, 3);
SELECT nextval('invoice_numbers'), nextval('invoice_numbers');
