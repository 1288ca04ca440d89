/* ---
title = "Monthly breakdown of a category"
description = "One category's spending month by month."
topic = "Expenses"
columns = ["month", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "month", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
[[params]]
name = "category"
type = "choice"
label = "Category"
source = "SELECT id AS value, name AS label FROM categories WHERE shop_id = %(shop_id)s ORDER BY name"
--- */
SELECT DATE_FORMAT(spent_on, '%Y-%m') AS month, SUM(amount) AS spent, SUM(expenses) AS expenses
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND category_id = %(category)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY 1 ORDER BY 1
