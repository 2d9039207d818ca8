-- The schema both servers get before psql's meta-commands are compared.
CREATE TABLE customers (id integer PRIMARY KEY, name varchar(40) NOT NULL, email text, score numeric(8,2) DEFAULT 0);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL, amount numeric(10,2), note text);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE UNIQUE INDEX customers_email ON customers (email);
CREATE TABLE events (id serial PRIMARY KEY, kind varchar(10) NOT NULL, at timestamptz);
CREATE TABLE notes (body text, written date);
CREATE VIEW big_orders AS SELECT id, customer_id, amount FROM orders WHERE amount > 100;
CREATE VIEW customer_totals (customer_id, total) AS
  SELECT customer_id, sum(amount) FROM orders GROUP BY customer_id;
CREATE SEQUENCE order_numbers AS integer INCREMENT BY 10 START WITH 1000 MAXVALUE 100000 CYCLE OWNED BY orders.id;
CREATE SEQUENCE countdown INCREMENT -1;
-- Privileges, for \dp (\z) and \du.
CREATE ROLE report_reader;
CREATE ROLE clerk LOGIN;
GRANT SELECT ON orders, big_orders TO report_reader;
GRANT SELECT, INSERT, UPDATE ON customers TO clerk WITH GRANT OPTION;
GRANT DELETE ON notes TO PUBLIC;
GRANT USAGE ON SEQUENCE order_numbers TO clerk;
GRANT report_reader TO clerk;
-- Comments, for \d+'s Description column.
COMMENT ON TABLE customers IS 'People who order';
COMMENT ON COLUMN customers.email IS 'Where receipts go';
COMMENT ON COLUMN customers.score IS 'Loyalty, 0 to 100';
