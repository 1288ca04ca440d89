/* ---
title = "Spending per month"
description = "Total spent in each month of the period."
topic = "Expenses"
columns = ["month", "spent"]
money = ["spent"]
chart = { type = "line", x = "month", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
[[params]]
name = "categories"
type = "multichoice"
label = "Categories (all when empty)"
default = "all"
source = "SELECT id AS value, name AS label FROM categories WHERE shop_id = %(shop_id)s ORDER BY name"
--- */
SELECT DATE_FORMAT(spent_on, '%Y-%m') AS month, SUM(amount) AS spent
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s AND (%(categories)s = '' OR FIND_IN_SET(category_id, %(categories)s))
 GROUP BY 1 ORDER BY 1
