-- The benchmarks' own checks (bench/).

-- name: bench_debt_total
-- Everything sold on credit in one shop (the concurrency benchmark's check).
SELECT COALESCE(SUM(total), 0) AS amount FROM debts WHERE shop_id = %(shop_id)s AND voided_at IS NULL;

-- name: bench_payment_total
-- Everything paid in one shop (the concurrency benchmark's check).
SELECT COALESCE(SUM(amount), 0) AS amount FROM payments WHERE shop_id = %(shop_id)s AND voided_at IS NULL;

-- name: bench_move_demo_phones
-- The scale data set is made by several simulator runs, each numbering its demo staff from shop 1: the staff made
-- so far move off the demo numbers (+254700SSS00R becomes +2547BBSSS00R, BB the run) before the next run.
UPDATE users SET phone = CONCAT('+2547', LPAD(%(batch)s, 2, '0'), SUBSTRING(phone, 8))
 WHERE demo = 1 AND phone LIKE '+254700%';

-- name: bench_database_size
-- How big the benchmark's database is on the server: its tables' data and indexes, in MB.
SELECT COALESCE(SUM(data_length), 0) DIV 1048576 AS data_mb, COALESCE(SUM(index_length), 0) DIV 1048576 AS index_mb
  FROM information_schema.tables
 WHERE table_schema = DATABASE();

-- name: bench_expenses_page_offset
-- The expenses list's page by OFFSET (the baseline of bench/scale): the filter, order and index of expenses_page,
-- its page found by counting past the rows before it.
SELECT e.id AS expense_id, e.spent_on, c.name AS category, e.description, e.amount, e.cashback, e.payment_mode
  FROM expenses e FORCE INDEX (ix_expenses_shop_day)
  JOIN categories c ON c.shop_id = e.shop_id AND c.id = e.category_id
 WHERE e.shop_id = %(shop_id)s
   AND e.spent_on BETWEEN %(start)s AND %(end)s
   AND (%(category_ids)s = '' OR FIND_IN_SET(e.category_id, %(category_ids)s))
   AND (%(modes)s = '' OR FIND_IN_SET(e.payment_mode, %(modes)s))
   AND (%(pattern)s = '' OR e.description LIKE %(pattern)s)
 ORDER BY e.spent_on DESC, e.id DESC
 LIMIT %(limit)s OFFSET %(offset)s;

-- name: bench_last_expense_id
-- The newest expense id of one shop: what bench/scale's import takes out again is what comes after it.
SELECT COALESCE(MAX(id), 0) AS id FROM expenses WHERE shop_id = %(shop_id)s;

-- name: bench_delete_expenses_after
-- Take a benchmark's imported expenses out of one shop again (the triggers mend the roll-ups).
DELETE FROM expenses WHERE shop_id = %(shop_id)s AND id > %(after_id)s;
