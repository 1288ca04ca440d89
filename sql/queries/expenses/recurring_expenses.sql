/* ---
title = "Recurring expenses"
description = "The same expense coming back: one category, one description and one payment mode, found in two or more different months of the period (rent, bills, subscriptions). The average is the total divided by the number of times it was paid."
topic = "Expenses"
columns = ["category", "description", "payment_mode", "months", "times", "total", "average"]
money = ["total", "average"]
chart = { type = "table" }
cap = 100

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
SELECT c.name AS category, e.description, e.payment_mode,
       COUNT(DISTINCT e.spent_on - INTERVAL (DAYOFMONTH(e.spent_on) - 1) DAY) AS months, COUNT(*) AS times,
       SUM(e.amount) AS total, ROUND(SUM(e.amount) / COUNT(*), 2) AS average
  FROM expenses e
  JOIN categories c ON c.shop_id = %(shop_id)s AND c.id = e.category_id
 WHERE e.shop_id = %(shop_id)s AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s AND e.description <> ''
 GROUP BY c.id, c.name, e.description, e.payment_mode
HAVING months >= 2
 ORDER BY total DESC, c.name, e.description, e.payment_mode
