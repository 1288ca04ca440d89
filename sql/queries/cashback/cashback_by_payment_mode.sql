/* ---
title = "Cashback by payment mode"
description = "Which ways of paying earn cashback, and at what rate."
topic = "Cashback"
columns = ["payment_mode", "cashback", "rate_percent"]
money = ["cashback"]
chart = { type = "bar", x = "payment_mode", y = "cashback" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT payment_mode, SUM(cashback) AS cashback, ROUND(100 * SUM(cashback) / NULLIF(SUM(amount), 0), 2) AS rate_percent
  FROM expense_day_modes
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY payment_mode ORDER BY cashback DESC
