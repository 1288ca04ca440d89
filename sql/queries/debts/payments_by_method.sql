/* ---
title = "Payments by method"
description = "How customers paid in the period (voided payments left out): Cash, M-Pesa, Bank or Other, each with its share of the money collected, in percent."
topic = "Debts"
columns = ["method", "collected", "payments", "share"]
money = ["collected"]
chart = { type = "pie", names = "method", values = "collected" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT p.method, SUM(p.amount) AS collected, COUNT(*) AS payments,
       ROUND(100 * SUM(p.amount) / SUM(SUM(p.amount)) OVER (), 1) AS share
  FROM payments p
 WHERE p.shop_id = %(shop_id)s AND p.voided_at IS NULL AND p.paid_at BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY p.method ORDER BY collected DESC, p.method
