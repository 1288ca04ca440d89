/* ---
title = "Budget against spending"
description = "Each budgeted category's spending in one calendar month (its first day to its last) against its monthly budget: spent divided by the budget, in percent."
topic = "Budgets"
columns = ["category", "monthly_budget", "spent", "remaining", "percent"]
money = ["monthly_budget", "spent", "remaining"]
chart = { type = "bar", x = "category", y = "percent" }

[[params]]
name = "month"
type = "month"
label = "Month"
default = "this_month"
--- */
SELECT c.name AS category, c.monthly_budget, COALESCE(SUM(d.amount), 0) AS spent,
       c.monthly_budget - COALESCE(SUM(d.amount), 0) AS remaining,
       ROUND(100 * COALESCE(SUM(d.amount), 0) / c.monthly_budget, 1) AS percent
  FROM categories c
  LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s AND d.category_id = c.id
        AND d.spent_on BETWEEN %(month)s AND LAST_DAY(%(month)s)
 WHERE c.shop_id = %(shop_id)s AND c.monthly_budget IS NOT NULL
 GROUP BY c.id, c.name, c.monthly_budget ORDER BY percent DESC, c.name
