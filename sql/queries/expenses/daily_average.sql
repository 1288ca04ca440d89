/* ---
title = "Daily average expense"
description = "Total spent divided by the days in the period."
topic = "Expenses"
columns = ["daily_average", "days", "total"]
money = ["daily_average", "total"]
chart = { type = "metric", value = "daily_average" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_month"
[[params]]
name = "categories"
type = "multichoice"
label = "Categories (all when empty)"
default = "all"
source = "SELECT id AS value, name AS label FROM categories WHERE shop_id = %(shop_id)s ORDER BY name"
--- */
SELECT ROUND(COALESCE(SUM(amount), 0) / (DATEDIFF(%(period_end)s, %(period_start)s) + 1), 2) AS daily_average,
       DATEDIFF(%(period_end)s, %(period_start)s) + 1 AS days, COALESCE(SUM(amount), 0) AS total
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s AND (%(categories)s = '' OR FIND_IN_SET(category_id, %(categories)s))
