/* ---
title = "Total expenses"
description = "Everything spent in the period and how many expenses that was."
topic = "Expenses"
columns = ["total", "expenses"]
money = ["total"]
chart = { type = "metric", value = "total" }

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
SELECT COALESCE(SUM(d.amount), 0) AS total, CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses
  FROM expense_days d
 WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
   AND (%(categories)s = '' OR FIND_IN_SET(d.category_id, %(categories)s))
