/* ---
title = "Budget against spending"
description = "Each budgeted category's spending in one month against its budget."
topic = "Budgets"
columns = ["category", "monthly_budget", "spent", "percent"]
money = ["monthly_budget", "spent"]
chart = { type = "bar", x = "category", y = "percent" }

[[params]]
name = "month"
type = "date"
label = "Month starting"
default = "month_start"
--- */
SELECT c.name AS category, c.monthly_budget, COALESCE(SUM(d.amount), 0) AS spent,
       ROUND(100 * COALESCE(SUM(d.amount), 0) / c.monthly_budget, 1) AS percent
  FROM categories c
  LEFT JOIN expense_days d ON d.shop_id = c.shop_id AND d.category_id = c.id
                          AND d.spent_on BETWEEN %(month)s AND LAST_DAY(%(month)s)
 WHERE c.shop_id = %(shop_id)s AND c.monthly_budget IS NOT NULL
 GROUP BY c.id, c.name, c.monthly_budget ORDER BY percent DESC
