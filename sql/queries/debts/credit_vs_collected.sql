/* ---
title = "Credit given against collected"
description = "Per month, what was sold on credit and what came in."
topic = "Debts"
columns = ["month", "credit_given", "collected"]
money = ["credit_given", "collected"]
chart = { type = "line", x = "month", y = ["credit_given", "collected"] }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
SELECT month, SUM(credit_given) AS credit_given, SUM(collected) AS collected
  FROM (SELECT DATE_FORMAT(debt_date, '%Y-%m') AS month, total AS credit_given, 0 AS collected
          FROM debts WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND debt_date BETWEEN %(period_start)s AND %(period_end)s
        UNION ALL
        SELECT DATE_FORMAT(paid_at, '%Y-%m'), 0, amount
          FROM payments WHERE shop_id = %(shop_id)s AND voided_at IS NULL AND paid_at BETWEEN %(period_start)s AND %(period_end)s) AS flows
 GROUP BY month ORDER BY month
