/* ---
title = "Payment-mode distribution"
description = "How the money was paid: each payment mode used in the period, its total, how many expenses and its share of the spending in percent, for the chosen categories (all when none is chosen). Spending analytics' 'Payment modes' is this question."
topic = "Expenses"
columns = ["payment_mode", "spent", "expenses", "share"]
money = ["spent"]
chart = { type = "pie", names = "payment_mode", values = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "categories"
type = "multichoice"
label = "Categories (all when empty)"
default = "all"
source = "SELECT c.id AS value, c.name AS label FROM categories c WHERE c.shop_id = %(shop_id)s ORDER BY c.name"
--- */
-- All categories: the per-day, per-mode roll-up. Chosen categories: the expenses (the roll-up has no category).
SELECT x.payment_mode, SUM(x.amount) AS spent, CAST(SUM(x.expenses) AS SIGNED) AS expenses,
       ROUND(100 * SUM(x.amount) / SUM(SUM(x.amount)) OVER (), 1) AS share
  FROM (SELECT m.payment_mode, m.amount, m.expenses
          FROM expense_day_modes m
         WHERE m.shop_id = %(shop_id)s AND m.spent_on BETWEEN %(period_start)s AND %(period_end)s
           AND %(categories)s = ''
        UNION ALL
        SELECT e.payment_mode, e.amount, 1
          FROM expenses e
         WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s
           AND %(categories)s <> '' AND FIND_IN_SET(e.category_id, %(categories)s)) AS x
 GROUP BY x.payment_mode
 ORDER BY spent DESC, x.payment_mode
