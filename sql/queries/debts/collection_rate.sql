/* ---
title = "Collection rate"
description = "Of the credit given in the period (voided sales left out), how much has been paid back so far: paid back divided by credit given, in percent (0 when no credit was given). What was written off is not paid back."
topic = "Debts"
columns = ["credit_given", "paid_back", "rate_percent", "sales"]
money = ["credit_given", "paid_back"]
chart = { type = "metric", value = "rate_percent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT COALESCE(SUM(d.total), 0) AS credit_given, COALESCE(SUM(d.paid), 0) AS paid_back,
       COALESCE(ROUND(100 * SUM(d.paid) / SUM(d.total), 1), 0) AS rate_percent, COUNT(*) AS sales
  FROM debts d
 WHERE d.shop_id = %(shop_id)s AND d.voided_at IS NULL AND d.debt_date BETWEEN %(period_start)s AND %(period_end)s
