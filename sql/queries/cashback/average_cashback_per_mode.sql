/* ---
title = "Average cashback per payment mode"
description = "For every payment mode: the cashback it earned in the period, how many expenses were paid with it, and the average cashback per expense, which is its cashback divided by all of its expenses, with or without cashback (0 when the mode was not used)."
topic = "Cashback"
columns = ["payment_mode", "cashback", "expenses", "average_cashback"]
money = ["cashback", "average_cashback"]
chart = { type = "bar", x = "payment_mode", y = "average_cashback" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT k.payment_mode, COALESCE(SUM(d.cashback), 0) AS cashback, CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses,
       COALESCE(ROUND(SUM(d.cashback) / SUM(d.expenses), 2), 0) AS average_cashback
  FROM (SELECT 1 AS n, 'Cash' AS payment_mode UNION ALL SELECT 2, 'M-Pesa' UNION ALL SELECT 3, 'Credit Card'
        UNION ALL SELECT 4, 'Debit Card' UNION ALL SELECT 5, 'Bank transfer' UNION ALL SELECT 6, 'Online') AS k
  LEFT JOIN expense_day_modes d ON d.shop_id = %(shop_id)s AND d.payment_mode = k.payment_mode
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY k.n, k.payment_mode ORDER BY k.n
