/* ---
title = "Cashback earned"
description = "All cashback in the period and what share of spending it returned."
topic = "Cashback"
columns = ["cashback", "spent", "rate_percent"]
money = ["cashback", "spent"]
chart = { type = "metric", value = "cashback" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT COALESCE(SUM(cashback), 0) AS cashback, COALESCE(SUM(amount), 0) AS spent,
       ROUND(100 * COALESCE(SUM(cashback), 0) / NULLIF(SUM(amount), 0), 2) AS rate_percent
  FROM expense_days
 WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
