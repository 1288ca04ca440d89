/* ---
title = "<=> under OR"
description = "<=> is not = and it sits under OR."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id <=> %(shop_id)s OR c.shop_id IS NOT NULL
