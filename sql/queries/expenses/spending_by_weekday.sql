/* ---
title = "Spending by day of the week"
description = "Which weekdays the money goes out, Monday first; every weekday has a row (0 when nothing was spent on it)."
topic = "Expenses"
columns = ["weekday", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "weekday", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT w.weekday, COALESCE(SUM(d.amount), 0) AS spent, CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses
  FROM (SELECT 0 AS n, 'Monday' AS weekday UNION ALL SELECT 1, 'Tuesday' UNION ALL SELECT 2, 'Wednesday'
        UNION ALL SELECT 3, 'Thursday' UNION ALL SELECT 4, 'Friday' UNION ALL SELECT 5, 'Saturday'
        UNION ALL SELECT 6, 'Sunday') AS w
  LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s AND WEEKDAY(d.spent_on) = w.n
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY w.n, w.weekday ORDER BY w.n
