/* ---
title = "Cashback by payment mode"
description = "Which ways of paying earn cashback, and at what rate: cashback divided by what was spent with that mode, in percent. Every payment mode has a row (0 when unused)."
topic = "Cashback"
columns = ["payment_mode", "cashback", "spent", "rate_percent"]
money = ["cashback", "spent"]
chart = { type = "bar", x = "payment_mode", y = "cashback" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT k.payment_mode, COALESCE(SUM(d.cashback), 0) AS cashback, COALESCE(SUM(d.amount), 0) AS spent,
       COALESCE(ROUND(100 * SUM(d.cashback) / SUM(d.amount), 2), 0) AS rate_percent
  FROM (SELECT 1 AS n, 'Cash' AS payment_mode UNION ALL SELECT 2, 'M-Pesa' UNION ALL SELECT 3, 'Credit Card'
        UNION ALL SELECT 4, 'Debit Card' UNION ALL SELECT 5, 'Bank transfer' UNION ALL SELECT 6, 'Online') AS k
  LEFT JOIN expense_day_modes d ON d.shop_id = %(shop_id)s AND d.payment_mode = k.payment_mode
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY k.n, k.payment_mode ORDER BY k.n
