/* ---
title = "Scope under NOT"
description = "NOT of a scope that is AND-ed with something false keeps every row."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer FROM customers c WHERE NOT (c.shop_id = %(shop_id)s AND c.id < 0)
