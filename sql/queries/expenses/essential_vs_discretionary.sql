/* ---
title = "Essential against discretionary spending"
description = "What went to essential categories (the ones marked essential: by default Groceries, Rent, Food, Transport, Utilities, Bills, Health and Education) and what went to the rest, with each one's share of all spending in the period in percent (0 when nothing was spent)."
topic = "Expenses"
columns = ["kind", "spent", "expenses", "share"]
money = ["spent"]
chart = { type = "pie", names = "kind", values = "spent" }

[[params]]
name = "period"
type = "daterange"
label = "Period"
default = "this_year"
--- */
SELECT k.kind, COALESCE(SUM(d.amount), 0) AS spent, CAST(COALESCE(SUM(d.expenses), 0) AS SIGNED) AS expenses,
       COALESCE(ROUND(100 * SUM(d.amount) / SUM(SUM(d.amount)) OVER (), 1), 0) AS share
  FROM (SELECT 1 AS essential, 'Essential' AS kind UNION ALL SELECT 0, 'Discretionary') AS k
  LEFT JOIN categories c ON c.shop_id = %(shop_id)s AND c.essential = k.essential
  LEFT JOIN expense_days d ON d.shop_id = %(shop_id)s AND d.category_id = c.id
        AND d.spent_on BETWEEN %(period_start)s AND %(period_end)s
 GROUP BY k.essential, k.kind ORDER BY k.essential DESC
