/* ---
title = "Cashback earned"
description = "All cashback in the period and what share of spending it returned: cashback divided by what was spent, in percent (0 when nothing was spent)."
topic = "Cashback"
columns = ["cashback", "spent", "rate_percent", "expenses"]
money = ["cashback", "spent"]
chart = { type = "metric", value = "cashback" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT COALESCE(SUM(d.cashback), 0) AS cashback, COALESCE(SUM(d.amount), 0) AS spent,
       COALESCE(ROUND(100 * SUM(d.cashback) / SUM(d.amount), 2), 0) AS rate_percent,
       CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses
  FROM expense_days d
 WHERE d.shop_id = %(shop_id)s AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
