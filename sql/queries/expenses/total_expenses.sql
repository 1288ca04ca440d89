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
source = "SELECT id AS value, name AS label FROM categories WHERE shop_id = %(shop_id)s ORDER BY name"
--- */
SELECT COALESCE(SUM(amount), 0) AS total, COALESCE(SUM(expenses), 0) AS expenses
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s AND (%(categories)s = '' OR FIND_IN_SET(category_id, %(categories)s))
