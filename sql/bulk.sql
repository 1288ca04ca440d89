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
-- Bulk load generated expenses; amounts come in integer cents (exact decimal division: no text per amount).
LOAD DATA LOCAL INFILE %(path)s INTO TABLE expenses CHARACTER SET utf8mb4
(shop_id, category_id, spent_on, @amount_cents, payment_mode, @cashback_cents, description, recorded_by, created_at)
SET amount = CAST(@amount_cents AS DECIMAL(30, 0)) / 100, cashback = CAST(@cashback_cents AS DECIMAL(30, 0)) / 100;

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
-- Fallback batch insert of expenses (amounts in integer cents).
INSERT INTO expenses (shop_id, category_id, spent_on, amount, payment_mode, cashback, description, recorded_by,
                      created_at)
VALUES (%s, %s, %s, CAST(%s AS DECIMAL(30, 0)) / 100, %s, CAST(%s AS DECIMAL(30, 0)) / 100, %s, %s, %s);

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
-- Bulk load day-and-category roll-ups computed while generating (for shops that had none); the sums come in
-- integer cents (exact decimal division).
LOAD DATA LOCAL INFILE %(path)s INTO TABLE expense_days CHARACTER SET utf8mb4
(shop_id, spent_on, category_id, @amount_cents, @cashback_cents, expenses)
SET amount = CAST(@amount_cents AS DECIMAL(30, 0)) / 100, cashback = CAST(@cashback_cents AS DECIMAL(30, 0)) / 100;

-- name: load_expense_day_modes
-- Bulk load day-and-mode roll-ups computed while generating (for shops that had none); sums in integer cents.
LOAD DATA LOCAL INFILE %(path)s INTO TABLE expense_day_modes CHARACTER SET utf8mb4
(shop_id, spent_on, payment_mode, @amount_cents, @cashback_cents, expenses)
SET amount = CAST(@amount_cents AS DECIMAL(30, 0)) / 100, cashback = CAST(@cashback_cents AS DECIMAL(30, 0)) / 100;

-- name: insert_expense_days_rows
-- Fallback batch insert of day-and-category roll-ups (sums in integer cents).
INSERT INTO expense_days (shop_id, spent_on, category_id, amount, cashback, expenses)
VALUES (%s, %s, %s, CAST(%s AS DECIMAL(30, 0)) / 100, CAST(%s AS DECIMAL(30, 0)) / 100, %s);

-- name: insert_expense_day_modes_rows
-- Fallback batch insert of day-and-mode roll-ups (sums in integer cents).
INSERT INTO expense_day_modes (shop_id, spent_on, payment_mode, amount, cashback, expenses)
VALUES (%s, %s, %s, CAST(%s AS DECIMAL(30, 0)) / 100, CAST(%s AS DECIMAL(30, 0)) / 100, %s);

-- name: skip_versions
-- This bulk-loading session does not bump a shop's version per row (a million bumps of one row); it bumps every
-- shop once before it commits (bump_every_shop_version).
SET @daftari_skip_versions = 1;

-- name: bump_every_shop_version
-- After a bulk load, in its transaction: every cached read of every shop is stale (migration 015).
UPDATE shop_versions SET version = GREATEST(version + 1, CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS UNSIGNED));

-- name: analyze_loaded_tables
-- After a bulk load's COMMIT: fresh index statistics (a few sampled pages per index, milliseconds), so the next
-- queries (the invariant check, the dashboard) do not plan with the row counts the tables had before the load.
ANALYZE TABLE customers, debts, payments, active_debtors, expenses, expense_days, expense_day_modes;

-- name: unchecked_references
-- A later branch of a side-by-side load (db.bulk.loaders): its rows' parents are the first branch's, uncommitted.
SET foreign_key_checks = 0;

-- name: xa_start
-- A branch of a load that commits as one with the others (two-phase).
XA START %(gtrid)s, %(bqual)s;

-- name: xa_end
-- The branch's work is done.
XA END %(gtrid)s, %(bqual)s;

-- name: xa_prepare
-- The branch is made durable and can no longer fail to commit.
XA PREPARE %(gtrid)s, %(bqual)s;

-- name: xa_commit
-- Commit a prepared branch.
XA COMMIT %(gtrid)s, %(bqual)s;

-- name: xa_rollback
-- Roll back a branch (prepared or not).
XA ROLLBACK %(gtrid)s, %(bqual)s;

-- name: xa_recover
-- Branches left prepared (by any load: db.bulk.recover settles the loader's own).
XA RECOVER;
