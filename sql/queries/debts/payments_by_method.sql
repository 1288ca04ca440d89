/* ---
title = "Payments by method"
description = "How customers paid: Cash, M-Pesa, Bank or Other."
topic = "Debts"
columns = ["method", "collected", "share"]
money = ["collected"]
chart = { type = "pie", names = "method", values = "collected" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT method, SUM(amount) AS collected, ROUND(100 * SUM(amount) / SUM(SUM(amount)) OVER (), 1) AS share
  FROM payments
 WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND paid_at BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY method ORDER BY collected DESC
