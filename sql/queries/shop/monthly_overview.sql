/* ---
title = "Credit, collections and expenses"
description = "Per month: credit given, money collected and expenses, side by side."
topic = "Shop"
columns = ["month", "credit_given", "collected", "expenses"]
money = ["credit_given", "collected", "expenses"]
chart = { type = "line", x = "month", y = ["credit_given", "collected", "expenses"] }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
SELECT month, SUM(credit_given) AS credit_given, SUM(collected) AS collected, SUM(expenses) AS expenses
  FROM (SELECT DATE_FORMAT(debt_date, '%Y-%m') AS month, total AS credit_given, 0 AS collected, 0 AS expenses
          FROM debts WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND debt_date BETWEEN %(period_start)s AND %(period_end)s
        UNION ALL
        SELECT DATE_FORMAT(paid_at, '%Y-%m'), 0, amount, 0
          FROM payments WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND paid_at BETWEEN %(period_start)s AND %(period_end)s
        UNION ALL
        SELECT DATE_FORMAT(spent_on, '%Y-%m'), 0, 0, amount
          FROM expense_days WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s) AS flows
 GROUP BY month ORDER BY month
