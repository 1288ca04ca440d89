-- Expense imports (duka/imports.py).

-- name: expense_keys_between
-- Date, amount and description of the shop's expenses in a date range: what an import compares against for duplicates.
SELECT spent_on, amount, description FROM expenses
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(start)s AND %(end)s;
