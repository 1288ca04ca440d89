/* ---
title = "Categories month by month"
description = "Spending per category in each month of the period, for comparing: a row for every month and every chosen category (all of the shop's categories when none is chosen), 0 when nothing was spent."
topic = "Expenses"
columns = ["month", "category", "spent", "expenses"]
money = ["spent"]
chart = { type = "bar", x = "month", y = "spent", color = "category" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_3_months"
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
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, c.name AS category, COALESCE(SUM(d.amount), 0) AS spent,
       CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses
  FROM months m
 CROSS JOIN categories c
  LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s AND d.category_id = c.id
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
        AND d.spent_on BETWEEN m.month_start AND LAST_DAY(m.month_start)
 WHERE c.shop_id = %(shop_id)s AND (%(categories)s = '' OR FIND_IN_SET(c.id, %(categories)s))
 GROUP BY m.month_start, c.id, c.name ORDER BY m.month_start, c.name
