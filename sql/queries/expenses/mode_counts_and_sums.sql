/* ---
title = "How often and how much, per payment mode"
description = "For every payment mode: how many expenses were paid with it in the period, what they came to, and the average expense, which is that total divided by that number of expenses (0 when the mode was not used)."
topic = "Expenses"
columns = ["payment_mode", "expenses", "spent", "average_expense"]
money = ["spent", "average_expense"]
chart = { type = "bar", x = "payment_mode", y = "expenses" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT k.payment_mode, CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses, COALESCE(SUM(d.amount), 0) AS spent,
       COALESCE(ROUND(SUM(d.amount) / SUM(d.expenses), 2), 0) AS average_expense
  FROM (SELECT 1 AS n, 'Cash' AS payment_mode UNION ALL SELECT 2, 'M-Pesa' UNION ALL SELECT 3, 'Credit Card'
        UNION ALL SELECT 4, 'Debit Card' UNION ALL SELECT 5, 'Bank transfer' UNION ALL SELECT 6, 'Online') AS k
  LEFT JOIN expense_day_modes d ON d.shop_id = %(shop_id)s AND d.payment_mode = k.payment_mode
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY k.n, k.payment_mode ORDER BY k.n
