/* ---
title = "Spending per month"
description = "Total spent in each month of the period, a row for every month (0 when nothing was spent)."
topic = "Expenses"
columns = ["month", "spent", "expenses"]
money = ["spent"]
chart = { type = "line", x = "month", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
[[params]]
name = "categories"
type = "multichoice"
label = "Categories (all when empty)"
default = "all"
source = "SELECT c.id AS value, c.name AS label FROM categories c WHERE c.shop_id = %(shop_id)s ORDER BY c.name"
--- */
WITH RECURSIVE months AS (
       SELECT CAST(%(period_start)s AS DATE) - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS month_start
       UNION ALL
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s)
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, COALESCE(SUM(d.amount), 0) AS spent,
       CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses
  FROM months m
  LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
        AND d.spent_on BETWEEN m.month_start AND LAST_DAY(m.month_start)
        AND (%(categories)s = '' OR FIND_IN_SET(d.category_id, %(categories)s))
 GROUP BY m.month_start ORDER BY m.month_start
