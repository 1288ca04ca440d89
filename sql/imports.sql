-- Expense imports (duka/imports.py).

-- name: expense_keys_between
-- Date, amount and description of the shop's expenses on a day and for an amount that a line of the file has
-- (%(keys)s: a JSON array of [day, amount]): what a file's preview compares against for duplicates. Only those are
-- sent: the file's dates of a wholesaler hold two million expenses, which went to Python whole (9.7 s of the
-- check, 910 MB) to find a few thousand. The server reads them in the covering index (day and amount, no row),
-- looks each up in the file's keys, and reads the row of a match only; STRAIGHT_JOIN keeps that order (left to
-- itself it started from the keys, and went through a whole day of expenses for each: 21 s; this way 0.6 s).
SELECT STRAIGHT_JOIN x.spent_on, x.amount, x.description
  FROM expenses e FORCE INDEX (ix_expenses_shop_cover)
  JOIN (SELECT DISTINCT j.spent_on, j.amount
          FROM JSON_TABLE(%(keys)s, '$[*]' COLUMNS (spent_on DATE PATH '$[0]', amount DECIMAL(12,2) PATH '$[1]')) j) k
    ON k.spent_on = e.spent_on AND k.amount = e.amount
  JOIN expenses x ON x.shop_id = e.shop_id AND x.id = e.id
 WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(start)s AND %(end)s;

-- name: lock_shop_for_import
-- Imports into one shop take turns: the shop's row is locked until the import commits or rolls back.
SELECT id FROM shops WHERE id = %(shop_id)s FOR UPDATE;

-- name: categories_locked
-- The shop's categories as committed (a locking read, whatever the transaction's snapshot): an import's names to ids.
SELECT id AS category_id, name FROM categories WHERE shop_id = %(shop_id)s LOCK IN SHARE MODE;

-- name: expense_keys_locked
-- The same keys as expense_keys_between, read as committed inside the import's lock: its duplicate check. The
-- locking read locks the whole date range in the covering index (next-key locks, whatever the amounts: a new or
-- moved expense in those dates waits, as before) and the rows it matches. An expense that does not match is no
-- longer locked itself, so a change of its description does not wait (README: Simultaneous imports).
SELECT STRAIGHT_JOIN x.spent_on, x.amount, x.description
  FROM expenses e FORCE INDEX (ix_expenses_shop_cover)
  JOIN (SELECT DISTINCT j.spent_on, j.amount
          FROM JSON_TABLE(%(keys)s, '$[*]' COLUMNS (spent_on DATE PATH '$[0]', amount DECIMAL(12,2) PATH '$[1]')) j) k
    ON k.spent_on = e.spent_on AND k.amount = e.amount
  JOIN expenses x ON x.shop_id = e.shop_id AND x.id = e.id
 WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(start)s AND %(end)s
  LOCK IN SHARE MODE;

-- name: import_skips_rollups
-- This import's inserts leave the roll-ups and the shop's version to add_import_to_expense_days / _modes and
-- bump_version_after_import, in the same transaction (migrations 006 and 019: a session's promise).
SET @daftari_skip_rollups = 1, @daftari_skip_versions = 1;

-- name: import_keeps_rollups
-- Back to trigger-kept roll-ups and versions on this connection.
SET @daftari_skip_rollups = NULL, @daftari_skip_versions = NULL;

-- name: add_import_to_expense_days
-- One day and category of an import, added to its roll-up (as add_to_expense_rollups adds one expense).
INSERT INTO expense_days (shop_id, spent_on, category_id, amount, cashback, expenses)
VALUES (%(shop_id)s, %(spent_on)s, %(category_id)s, %(amount)s, %(cashback)s, %(expenses)s)
ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount), cashback = cashback + VALUES(cashback),
                        expenses = expenses + VALUES(expenses);

-- name: add_import_to_expense_day_modes
-- One day and payment mode of an import, added to its roll-up.
INSERT INTO expense_day_modes (shop_id, spent_on, payment_mode, amount, cashback, expenses)
VALUES (%(shop_id)s, %(spent_on)s, %(payment_mode)s, %(amount)s, %(cashback)s, %(expenses)s)
ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount), cashback = cashback + VALUES(cashback),
                        expenses = expenses + VALUES(expenses);

-- name: bump_version_after_import
-- Every cached read of the shop is stale once the import commits (what bump_shop_version does per row).
UPDATE shop_versions SET version = GREATEST(version + 1, CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS UNSIGNED))
 WHERE shop_id = %(shop_id)s;
