/* ---
title = "Months over budget"
description = "For each budgeted category, in how many months of the period it went over."
topic = "Budgets"
columns = ["category", "monthly_budget", "months_over", "worst_month_spent"]
money = ["monthly_budget", "worst_month_spent"]
chart = { type = "bar", x = "category", y = "months_over" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "last_12_months"
--- */
SELECT c.name AS category, c.monthly_budget, SUM(m.spent > c.monthly_budget) AS months_over, MAX(m.spent) AS worst_month_spent
  FROM categories c
  JOIN (SELECT category_id, DATE_FORMAT(spent_on, '%Y-%m') AS month, SUM(amount) AS spent
          FROM expense_days
         WHERE shop_id = %(shop_id)s AND spent_on BETWEEN %(period_start)s AND %(period_end)s
         GROUP BY category_id, 2) m ON m.category_id = c.id
 WHERE c.shop_id = %(shop_id)s AND c.monthly_budget IS NOT NULL
 GROUP BY c.id, c.name, c.monthly_budget ORDER BY months_over DESC, c.name
