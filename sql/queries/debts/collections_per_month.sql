/* ---
title = "Collections per month"
description = "Money collected from customers in each month."
topic = "Debts"
columns = ["month", "collected", "payments"]
money = ["collected"]
chart = { type = "bar", x = "month", y = "collected" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
SELECT DATE_FORMAT(paid_at, '%Y-%m') AS month, SUM(amount) AS collected, COUNT(*) AS payments
  FROM payments
 WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND paid_at BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY 1 ORDER BY 1
