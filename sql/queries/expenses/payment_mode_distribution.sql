/* ---
title = "Payment-mode distribution"
description = "How the money was paid: each payment mode used in the period, its total and its share of all spending, in percent."
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
SELECT d.payment_mode, SUM(d.amount) AS spent, ROUND(100 * SUM(d.amount) / SUM(SUM(d.amount)) OVER (), 1) AS share
  FROM expense_day_modes d
 WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY d.payment_mode ORDER BY spent DESC, d.payment_mode
