-- Expenses and categories (duka/expenses.py).

-- name: categories_of_shop
-- The shop's categories with their budgets, whether each is essential, and how many expenses each holds, counted in
-- the day-and-category roll-up the triggers keep equal to the expenses (counting a wholesaler's million expenses one
-- by one took 1.7 s on every page that lists its categories, its roll-up rows 5 ms).
SELECT c.id AS category_id, c.name, c.description, c.monthly_budget, c.essential,
       (SELECT CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) FROM expense_days d
         WHERE d.shop_id = c.shop_id AND d.category_id = c.id) AS expenses
  FROM categories c
 WHERE c.shop_id = %(shop_id)s
 ORDER BY c.name;

-- name: category_in_shop
-- One category of this shop.
SELECT id AS category_id, name FROM categories WHERE shop_id = %(shop_id)s AND id = %(category_id)s;

-- name: insert_category
-- A new category, essential or discretionary.
INSERT INTO categories (shop_id, name, description, monthly_budget, essential)
VALUES (%(shop_id)s, %(name)s, %(description)s, %(monthly_budget)s, %(essential)s);

-- name: update_category
-- Rename a category or change its description, budget and essential flag (NULL keeps the flag as it is);
-- its expenses follow (they point at the id).
UPDATE categories
   SET name = %(name)s, description = %(description)s, monthly_budget = %(monthly_budget)s,
       essential = COALESCE(%(essential)s, essential)
 WHERE shop_id = %(shop_id)s AND id = %(category_id)s;

-- name: move_expenses_to_category
-- Move every expense of one category to another, before the first is deleted.
UPDATE expenses SET category_id = %(to_category_id)s
 WHERE shop_id = %(shop_id)s AND category_id = %(category_id)s;

-- name: delete_category
-- Delete a category (the foreign key refuses while expenses still use it).
DELETE FROM categories WHERE shop_id = %(shop_id)s AND id = %(category_id)s;

-- name: insert_expense
-- One expense.
INSERT INTO expenses (shop_id, category_id, spent_on, amount, payment_mode, cashback, description, recorded_by)
VALUES (%(shop_id)s, %(category_id)s, %(spent_on)s, %(amount)s, %(payment_mode)s, %(cashback)s,
        %(description)s, %(user_id)s);

-- name: insert_expense_rows
-- An import's batch of expenses (duka/expenses.insert_rows): %(rows)s is a JSON array of [category_id, spent_on,
-- amount, payment_mode, cashback, description], read in its order: every value comes in a parameter, never as SQL.
INSERT INTO expenses (shop_id, category_id, spent_on, amount, payment_mode, cashback, description, recorded_by)
SELECT %(shop_id)s, j.category_id, j.spent_on, j.amount, j.payment_mode, j.cashback, j.description, %(user_id)s
  FROM JSON_TABLE(%(rows)s, '$[*]' COLUMNS (
         line FOR ORDINALITY,
         category_id INT UNSIGNED PATH '$[0]',
         spent_on DATE PATH '$[1]',
         amount DECIMAL(12,2) PATH '$[2]',
         payment_mode VARCHAR(20) PATH '$[3]',
         cashback DECIMAL(12,2) PATH '$[4]',
         description VARCHAR(255) PATH '$[5]')) j
 ORDER BY j.line;

-- name: expense_in_shop
-- One expense of this shop.
SELECT e.id AS expense_id, e.category_id, c.name AS category, e.spent_on, e.amount, e.payment_mode, e.cashback,
       e.description
  FROM expenses e JOIN categories c ON c.shop_id = e.shop_id AND c.id = e.category_id
 WHERE e.shop_id = %(shop_id)s AND e.id = %(expense_id)s;

-- name: update_expense
-- The owner corrects an expense.
UPDATE expenses
   SET category_id = %(category_id)s, spent_on = %(spent_on)s, amount = %(amount)s, payment_mode = %(payment_mode)s,
       cashback = %(cashback)s, description = %(description)s, edited_at = NOW(), edited_by = %(user_id)s
 WHERE shop_id = %(shop_id)s AND id = %(expense_id)s;

-- name: delete_expense
-- The owner deletes one expense of this shop.
DELETE FROM expenses WHERE shop_id = %(shop_id)s AND id = %(expense_id)s;

-- name: recategorise_expense
-- The owner moves one expense of this shop to another category.
UPDATE expenses SET category_id = %(category_id)s, edited_at = NOW(), edited_by = %(user_id)s
 WHERE shop_id = %(shop_id)s AND id = %(expense_id)s;

-- name: expenses_page
-- One page of the filtered list, newest first, by keyset (fast on any page at a million rows). The shop-and-day
-- index is named: it walks the list in its order and stops at the page's end, where the optimiser, counting a
-- wholesaler's categories by the average shop's, started from its categories and sorted all of its year's million
-- expenses for every page (1.7 s for page 1, 0.5 ms with the index).
SELECT e.id AS expense_id, e.spent_on, c.name AS category, e.description, e.amount, e.cashback, e.payment_mode
  FROM expenses e FORCE INDEX (ix_expenses_shop_day)
  JOIN categories c ON c.shop_id = e.shop_id AND c.id = e.category_id
 WHERE e.shop_id = %(shop_id)s
   AND e.spent_on BETWEEN %(start)s AND %(end)s
   AND (%(category_ids)s = '' OR FIND_IN_SET(e.category_id, %(category_ids)s))
   AND (%(modes)s = '' OR FIND_IN_SET(e.payment_mode, %(modes)s))
   AND (%(pattern)s = '' OR e.description LIKE %(pattern)s)
   AND (%(before_day)s IS NULL OR e.spent_on < %(before_day)s
        OR (e.spent_on = %(before_day)s AND e.id < %(before_id)s))
 ORDER BY e.spent_on DESC, e.id DESC
 LIMIT %(limit)s;

-- name: expenses_filtered_totals
-- How many expenses match the filter, and their sums: read in a roll-up the triggers keep equal to the expenses when
-- the filter is one it holds (days and categories: expense_days, days and payment modes: expense_day_modes), else
-- in the expenses. Each branch's parameters leave the other two empty before anything is read. A wholesaler's
-- year took 0.93 s counted expense by expense, and a few ms in 5,000 roll-up rows.
SELECT CAST(COALESCE(SUM(t.expenses), 0) AS SIGNED) AS expenses, COALESCE(SUM(t.amount), 0) AS amount,
       COALESCE(SUM(t.cashback), 0) AS cashback
  FROM (SELECT d.expenses, d.amount, d.cashback
          FROM expense_days d
         WHERE d.shop_id = %(shop_id)s AND %(modes)s = '' AND %(pattern)s = ''
           AND d.spent_on BETWEEN %(start)s AND %(end)s
           AND (%(category_ids)s = '' OR FIND_IN_SET(d.category_id, %(category_ids)s))
        UNION ALL
        SELECT m.expenses, m.amount, m.cashback
          FROM expense_day_modes m
         WHERE m.shop_id = %(shop_id)s AND %(modes)s <> '' AND %(category_ids)s = '' AND %(pattern)s = ''
           AND m.spent_on BETWEEN %(start)s AND %(end)s
           AND FIND_IN_SET(m.payment_mode, %(modes)s)
        UNION ALL
        SELECT COUNT(*), SUM(e.amount), SUM(e.cashback)
          FROM expenses e
         WHERE e.shop_id = %(shop_id)s AND %(modes)s <> '' AND %(category_ids)s <> '' AND %(pattern)s = ''
           AND e.spent_on BETWEEN %(start)s AND %(end)s
           AND FIND_IN_SET(e.category_id, %(category_ids)s) AND FIND_IN_SET(e.payment_mode, %(modes)s)
        UNION ALL
        SELECT COUNT(*), SUM(e.amount), SUM(e.cashback)
          FROM expenses e
         WHERE e.shop_id = %(shop_id)s AND %(pattern)s <> ''
           AND e.spent_on BETWEEN %(start)s AND %(end)s
           AND (%(category_ids)s = '' OR FIND_IN_SET(e.category_id, %(category_ids)s))
           AND (%(modes)s = '' OR FIND_IN_SET(e.payment_mode, %(modes)s))
           AND e.description LIKE %(pattern)s) t;

-- name: budget_status
-- This month's spending against each category's monthly budget.
SELECT c.id AS category_id, c.name, c.monthly_budget,
       COALESCE(SUM(e.amount), 0) AS spent,
       ROUND(100 * COALESCE(SUM(e.amount), 0) / c.monthly_budget, 1) AS percent
  FROM categories c
  LEFT JOIN expense_days e ON e.shop_id = c.shop_id AND e.category_id = c.id
                      AND e.spent_on BETWEEN %(start)s AND %(end)s
 WHERE c.shop_id = %(shop_id)s AND c.monthly_budget IS NOT NULL
 GROUP BY c.id, c.name, c.monthly_budget
 ORDER BY percent DESC, c.name;

-- name: expense_ids_of_day
-- Every expense of this shop on one day, locked until the transaction ends (a day's list is replaced whole).
SELECT id AS expense_id FROM expenses WHERE shop_id = %(shop_id)s AND spent_on = %(spent_on)s FOR UPDATE;
