/* ---
title = "Categories month by month"
description = "Spending per category in each month, for comparing."
topic = "Expenses"
columns = ["month", "category", "spent"]
money = ["spent"]
chart = { type = "bar", x = "month", y = "spent", color = "category" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_3_months"
[[params]]
name = "categories"
type = "multichoice"
label = "Categories (all when empty)"
default = "all"
source = "SELECT id AS value, name AS label FROM categories WHERE shop_id = %(shop_id)s ORDER BY name"
--- */
SELECT DATE_FORMAT(d.spent_on, '%Y-%m') AS month, c.name AS category, SUM(d.amount) AS spent
  FROM expense_days d JOIN categories c ON c.shop_id = d.shop_id AND c.id = d.category_id
 WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
   AND (%(categories)s = '' OR FIND_IN_SET(d.category_id, %(categories)s))
 GROUP BY 1, c.id, c.name ORDER BY 1, c.name
