-- Bulk loading (db/bulk.py): LOAD DATA LOCAL with a batched-INSERT fallback, the session clock, daily roll-ups.
-- The server gives every loaded row its id (AUTO_INCREMENT), never the loader: see simulate/book.py.

-- name: set_session_clock
-- The simulator's session sees a fixed NOW(), so every default timestamp (and so every table) repeats for a seed.
SET timestamp = %(epoch)s;

-- name: load_customers
-- Bulk load generated customers (tab-separated, \N for NULL); each row carries its shop_id.
LOAD DATA LOCAL INFILE %(path)s INTO TABLE customers CHARACTER SET utf8mb4
(shop_id, name, phone, created_by, created_at, account_no);

-- name: load_debts
-- Bulk load generated credit sales; the triggers keep active_debtors as for any insert.
LOAD DATA LOCAL INFILE %(path)s INTO TABLE debts CHARACTER SET utf8mb4
(shop_id, customer_id, product, quantity, unit_price, total, debt_date, due_date, created_by, created_at);

-- name: load_payments
-- Bulk load generated payments; the triggers raise each debt's paid as for any insert.
LOAD DATA LOCAL INFILE %(path)s INTO TABLE payments CHARACTER SET utf8mb4
(shop_id, debt_id, amount, method, reference, paid_at, recorded_by, created_at);

-- name: load_expenses
-- Bulk load generated expenses.
LOAD DATA LOCAL INFILE %(path)s INTO TABLE expenses CHARACTER SET utf8mb4
(shop_id, category_id, spent_on, amount, payment_mode, cashback, description, recorded_by, created_at);

-- name: insert_customers_rows
-- The fallback where LOAD DATA LOCAL is refused: the same rows, in batches.
INSERT INTO customers (shop_id, name, phone, created_by, created_at, account_no)
VALUES (%s, %s, %s, %s, %s, %s);

-- name: insert_debts_rows
-- Fallback batch insert of credit sales.
INSERT INTO debts (shop_id, customer_id, product, quantity, unit_price, total, debt_date, due_date, created_by,
                   created_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s);

-- name: insert_payments_rows
-- Fallback batch insert of payments.
INSERT INTO payments (shop_id, debt_id, amount, method, reference, paid_at, recorded_by, created_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s);

-- name: insert_expenses_rows
-- Fallback batch insert of expenses.
INSERT INTO expenses (shop_id, category_id, spent_on, amount, payment_mode, cashback, description, recorded_by,
                      created_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s);

-- name: skip_rollups
-- This bulk-loading session leaves the expense roll-ups to rebuild_expense_days / _modes afterwards.
SET @daftari_skip_rollups = 1;

-- name: keep_rollups
-- Back to trigger-kept roll-ups.
SET @daftari_skip_rollups = NULL;

-- name: rebuild_expense_days
-- Recompute the day-and-category roll-up of a range of shops from their expenses.
INSERT INTO expense_days (shop_id, spent_on, category_id, amount, cashback, expenses)
SELECT shop_id, spent_on, category_id, SUM(amount), SUM(cashback), COUNT(*)
  FROM expenses WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s
 GROUP BY shop_id, spent_on, category_id
    ON DUPLICATE KEY UPDATE amount = VALUES(amount), cashback = VALUES(cashback), expenses = VALUES(expenses);

-- name: rebuild_expense_day_modes
-- Recompute the day-and-payment-mode roll-up of a range of shops from their expenses.
INSERT INTO expense_day_modes (shop_id, spent_on, payment_mode, amount, cashback, expenses)
SELECT shop_id, spent_on, payment_mode, SUM(amount), SUM(cashback), COUNT(*)
  FROM expenses WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s
 GROUP BY shop_id, spent_on, payment_mode
    ON DUPLICATE KEY UPDATE amount = VALUES(amount), cashback = VALUES(cashback), expenses = VALUES(expenses);

-- name: rollup_rows_of_shops
-- Whether a range of shops already has roll-up rows (then a bulk load rebuilds instead of loading them).
SELECT COUNT(*) AS n FROM expense_days WHERE shop_id BETWEEN %(first_shop)s AND %(last_shop)s;

-- name: load_expense_days
-- Bulk load day-and-category roll-ups computed while generating (for shops that had none).
LOAD DATA LOCAL INFILE %(path)s INTO TABLE expense_days CHARACTER SET utf8mb4
(shop_id, spent_on, category_id, amount, cashback, expenses);

-- name: load_expense_day_modes
-- Bulk load day-and-mode roll-ups computed while generating (for shops that had none).
LOAD DATA LOCAL INFILE %(path)s INTO TABLE expense_day_modes CHARACTER SET utf8mb4
(shop_id, spent_on, payment_mode, amount, cashback, expenses);

-- name: insert_expense_days_rows
-- Fallback batch insert of day-and-category roll-ups.
INSERT INTO expense_days (shop_id, spent_on, category_id, amount, cashback, expenses) VALUES (%s, %s, %s, %s, %s, %s);

-- name: insert_expense_day_modes_rows
-- Fallback batch insert of day-and-mode roll-ups.
INSERT INTO expense_day_modes (shop_id, spent_on, payment_mode, amount, cashback, expenses)
VALUES (%s, %s, %s, %s, %s, %s);

-- name: skip_versions
-- This bulk-loading session does not bump a shop's version per row (a million bumps of one row); it bumps every
-- shop once before it commits (bump_every_shop_version).
SET @daftari_skip_versions = 1;

-- name: bump_every_shop_version
-- After a bulk load, in its transaction: every cached read of every shop is stale (migration 015).
UPDATE shop_versions SET version = GREATEST(version + 1, CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS UNSIGNED));
