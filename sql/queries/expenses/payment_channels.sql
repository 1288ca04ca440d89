/* ---
title = "Cash, mobile money, cards or bank"
description = "Spending by channel: Cash is Cash; Mobile money is M-Pesa and Online; Cards are Credit Card and Debit Card; Bank is Bank transfer. Each channel's total, how many expenses, and its share of all spending in percent; every channel has a row (0 when unused)."
topic = "Expenses"
columns = ["channel", "spent", "expenses", "share"]
money = ["spent"]
chart = { type = "pie", names = "channel", values = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT k.channel, COALESCE(SUM(d.amount), 0) AS spent, CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses,
       COALESCE(ROUND(100 * SUM(d.amount) / SUM(SUM(d.amount)) OVER (), 1), 0) AS share
  FROM (SELECT 1 AS n, 'Cash' AS channel, 'Cash' AS payment_mode
        UNION ALL SELECT 2, 'Mobile money', 'M-Pesa' UNION ALL SELECT 2, 'Mobile money', 'Online'
        UNION ALL SELECT 3, 'Cards', 'Credit Card' UNION ALL SELECT 3, 'Cards', 'Debit Card'
        UNION ALL SELECT 4, 'Bank', 'Bank transfer') AS k
  LEFT JOIN expense_day_modes d ON d.shop_id = %(shop_id)s AND d.payment_mode = k.payment_mode
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY k.n, k.channel ORDER BY k.n
