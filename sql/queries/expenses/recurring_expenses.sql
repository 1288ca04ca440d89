/* ---
title = "Recurring expenses"
description = "Descriptions that come back in three or more different months: rent, bills, subscriptions."
topic = "Expenses"
columns = ["description", "months", "total", "average"]
money = ["total", "average"]
chart = { type = "table" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
SELECT description, COUNT(DISTINCT DATE_FORMAT(spent_on, '%Y-%m')) AS months, SUM(amount) AS total,
       ROUND(AVG(amount), 2) AS average
  FROM expenses
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s AND description <> ''
 GROUP BY description HAVING months >= 3
 ORDER BY total DESC LIMIT 100
