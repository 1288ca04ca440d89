/* ---
title = "Customers of every other shop"
description = "<> is not =: this reads every shop but the signed-in one."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id <> %(shop_id)s
