/* ---
title = "Payment modes month by month"
description = "How each month's spending was paid."
topic = "Expenses"
columns = ["month", "payment_mode", "spent"]
money = ["spent"]
chart = { type = "bar", x = "month", y = "spent", color = "payment_mode" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
SELECT DATE_FORMAT(spent_on, '%Y-%m') AS month, payment_mode, SUM(amount) AS spent
  FROM expense_day_modes
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY 1, payment_mode ORDER BY 1, payment_mode
