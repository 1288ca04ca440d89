/* ---
title = "Collection rate"
description = "Of the credit given in the period, how much has been paid back so far."
topic = "Debts"
columns = ["credit_given", "paid_back", "rate_percent"]
money = ["credit_given", "paid_back"]
chart = { type = "metric", value = "rate_percent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT COALESCE(SUM(total), 0) AS credit_given, COALESCE(SUM(paid), 0) AS paid_back,
       ROUND(100 * SUM(paid) / NULLIF(SUM(total), 0), 1) AS rate_percent
  FROM debts
 WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND debt_date BETWEEN %(period_start)s AND %(period_end)s
