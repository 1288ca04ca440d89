/* ---
title = "Unscoped UNION branch"
description = "The first branch is scoped, the second is not."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT name AS customer FROM customers WHERE shop_id = %(shop_id)s
UNION ALL
SELECT name FROM customers
