-- Expense imports (duka/imports.py).

-- name: expense_keys_between
-- Date, amount and description of the shop's expenses in a date range: what a file's preview compares against for duplicates.
SELECT spent_on, amount, description FROM expenses
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(start)s AND %(end)s;

-- name: lock_shop_for_import
-- Imports into one shop take turns: the shop's row is locked until the import commits or rolls back.
SELECT id FROM shops WHERE id = %(shop_id)s FOR UPDATE;

-- name: categories_locked
-- The shop's categories as committed (a locking read, whatever the transaction's snapshot): an import's names to ids.
SELECT id AS category_id, name FROM categories WHERE shop_id = %(shop_id)s LOCK IN SHARE MODE;

-- name: expense_keys_locked
-- The same keys as expense_keys_between, read as committed inside the import's lock: its duplicate check.
SELECT spent_on, amount, description FROM expenses
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(start)s AND %(end)s LOCK IN SHARE MODE;
