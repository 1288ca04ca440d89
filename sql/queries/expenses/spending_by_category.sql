/* ---
title = "Spending by category"
description = "Each category's spending in the period, how many expenses it had, and its share of the period's total in percent (of the chosen categories, all when none is chosen). Spending analytics' 'By category' is this question."
topic = "Expenses"
columns = ["category", "spent", "expenses", "share"]
money = ["spent"]
chart = { type = "bar", x = "category", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "categories"
type = "multichoice"
label = "Categories (all when empty)"
source = "SELECT c.id, c.name FROM categories c WHERE c.shop_id = %(shop_id)s ORDER BY c.name"
--- */
SELECT c.name AS category, x.spent, x.expenses, ROUND(100 * x.spent / SUM(x.spent) OVER (), 1) AS share
  FROM (SELECT e.category_id, SUM(e.amount) AS spent, SUM(e.expenses) AS expenses
          FROM expense_days e
         WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s
           AND (%(categories)s = '' OR FIND_IN_SET(e.category_id, %(categories)s))
         GROUP BY e.category_id) AS x
  JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = x.category_id
 ORDER BY x.spent DESC, c.name
