/* ---
title = "Spending by day of the week"
description = "Which weekdays the money goes out, Monday first."
topic = "Expenses"
columns = ["weekday", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "weekday", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT ELT(WEEKDAY(spent_on) + 1, 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday') AS weekday,
       SUM(amount) AS spent, SUM(expenses) AS expenses
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY WEEKDAY(spent_on) ORDER BY WEEKDAY(spent_on)
