/* ---
title = "One expense month by month"
description = "Choose a category (those with expenses that have a description), then one of its descriptions (exactly as written): what that expense came to in each month of the period, how many times, and its cashback; a row for every month (0 when it did not occur)."
topic = "Expenses"
columns = ["month", "spent", "times", "cashback"]
money = ["spent", "cashback"]
chart = { type = "bar", x = "month", y = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
[[params]]
name = "category"
type = "choice"
label = "Category"
source = "SELECT c.id AS value, c.name AS label FROM categories c WHERE c.shop_id = %(shop_id)s AND EXISTS (SELECT 1 FROM expenses e WHERE e.shop_id = %(shop_id)s AND e.category_id = c.id AND e.description <> '') ORDER BY c.name"
[[params]]
name = "description"
type = "choice"
label = "Description"
depends = ["category"]
source = "SELECT DISTINCT e.description COLLATE utf8mb4_bin AS value, e.description COLLATE utf8mb4_bin AS label FROM expenses e WHERE e.shop_id = %(shop_id)s AND e.category_id = %(category)s AND e.description <> '' ORDER BY 1"
--- */
WITH RECURSIVE months AS (
       SELECT CAST(%(period_start)s AS DATE) - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS month_start
       UNION ALL
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s)
SELECT DATE_FORMAT(m.month_start, '%Y-%m') AS month, COALESCE(SUM(e.amount), 0) AS spent, COUNT(e.id) AS times,
       COALESCE(SUM(e.cashback), 0) AS cashback
  FROM months m
  LEFT JOIN expenses e ON e.shop_id = %(shop_id)s AND e.category_id = %(category)s
        AND e.description COLLATE utf8mb4_bin = %(description)s
        AND e.spent_on BETWEEN %(period_start)s AND %(period_end)s
        AND e.spent_on BETWEEN m.month_start AND LAST_DAY(m.month_start)
 GROUP BY m.month_start ORDER BY m.month_start
