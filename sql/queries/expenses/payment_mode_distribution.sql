/* ---
title = "Payment-mode distribution"
description = "How the money was paid: each mode's total and share."
topic = "Expenses"
columns = ["payment_mode", "spent", "share"]
money = ["spent"]
chart = { type = "pie", names = "payment_mode", values = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT payment_mode, SUM(amount) AS spent, ROUND(100 * SUM(amount) / SUM(SUM(amount)) OVER (), 1) AS share
  FROM expense_day_modes
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY payment_mode ORDER BY spent DESC
