/* ---
title = "Highest spending days"
description = "The days with the most spending, biggest first."
topic = "Expenses"
columns = ["spent_on", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "spent_on", y = "spent" }

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
--- */
SELECT spent_on, SUM(amount) AS spent, SUM(expenses) AS expenses
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY spent_on ORDER BY spent DESC, spent_on LIMIT %(days)s
