/* ---
title = "Highest spending days"
description = "The days with the most spending, biggest first; the page shows as many as you ask for, the download every day that had spending."
topic = "Expenses"
columns = ["spent_on", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "spent_on", y = "spent" }
cap = "days"

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
[[params]]
name = "days"
type = "number"
label = "How many days"
default = 5
min = 1
max = 1000
step = 1
--- */
SELECT d.spent_on, SUM(d.amount) AS spent, CAST(SUM(d.expenses) AS SIGNED) AS expenses
  FROM expense_days d
 WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY d.spent_on ORDER BY spent DESC, d.spent_on
