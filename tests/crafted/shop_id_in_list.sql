/* ---
title = "IN with another shop"
description = "IN (…) lets a second shop in."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = false
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id IN (%(shop_id)s, 2)
