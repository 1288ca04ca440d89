/* ---
title = "Top categories"
description = "The categories that took the most money in the period, biggest first, with their share of all spending in the period in percent; the page shows as many as you ask for, the download every category that had spending."
topic = "Expenses"
columns = ["category", "spent", "expenses", "share"]
money = ["spent"]
chart = { type = "bar", x = "category", y = "spent" }
cap = "how_many"

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "how_many"
type = "number"
label = "How many"
default = 5
min = 1
max = 1000
step = 1
--- */
SELECT c.name AS category, SUM(d.amount) AS spent, CAST(SUM(d.expenses) AS SIGNED) AS expenses,
       ROUND(100 * SUM(d.amount) / SUM(SUM(d.amount)) OVER (), 1) AS share
  FROM expense_days d
  JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = d.category_id
 WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY c.id, c.name ORDER BY spent DESC, c.name
