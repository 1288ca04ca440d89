/* ---
title = "Months over budget"
description = "For each budgeted category, in how many calendar months it spent more than its monthly budget. Budgets are per calendar month, so every month the period touches counts whole, from its first day to its last; a month without spending counts as 0."
topic = "Budgets"
columns = ["category", "monthly_budget", "months", "months_over", "worst_month_spent"]
money = ["monthly_budget", "worst_month_spent"]
chart = { type = "bar", x = "category", y = "months_over" }

[[params]]
name = "period"
type = "daterange"
label = "Months of"
default = "last_12_months"
--- */
WITH RECURSIVE months AS (
       SELECT CAST(%(period_start)s AS DATE) - INTERVAL (DAYOFMONTH(%(period_start)s) - 1) DAY AS month_start
       UNION ALL
       SELECT m.month_start + INTERVAL 1 MONTH FROM months m WHERE m.month_start + INTERVAL 1 MONTH <= %(period_end)s),
     monthly AS (
       SELECT c.id, c.name, c.monthly_budget, m.month_start, COALESCE(SUM(d.amount), 0) AS spent
         FROM categories c
        CROSS JOIN months m
         LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s AND d.category_id = c.id
               AND d.spent_on BETWEEN m.month_start AND LAST_DAY(m.month_start)
        WHERE c.shop_id = %(shop_id)s AND c.monthly_budget IS NOT NULL
        GROUP BY c.id, c.name, c.monthly_budget, m.month_start)
SELECT x.name AS category, x.monthly_budget, COUNT(*) AS months,
       CAST(SUM(x.spent > x.monthly_budget) AS SIGNED) AS months_over, MAX(x.spent) AS worst_month_spent
  FROM monthly x
 GROUP BY x.id, x.name, x.monthly_budget ORDER BY months_over DESC, x.name
