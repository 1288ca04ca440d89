/* ---
title = "Cashback per month"
description = "Cashback earned in each month."
topic = "Cashback"
columns = ["month", "cashback"]
money = ["cashback"]
chart = { type = "line", x = "month", y = "cashback" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
SELECT DATE_FORMAT(spent_on, '%Y-%m') AS month, SUM(cashback) AS cashback
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY 1 ORDER BY 1
