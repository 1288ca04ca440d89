/* ---
title = "Placeholder in a comment"
description = "The placeholder appears, but only inside a comment."
topic = "Crafted"
columns = ["customer"]
why = "other shops"
leaks = true
--- */
SELECT c.name AS customer FROM customers c /* c.shop_id = %(shop_id)s */
