/* ---
title = "A backslash before a quote"
description = "Under NO_BACKSLASH_ESCAPES the string ends at the backslash and OR 1=1 is code."
topic = "Crafted"
columns = ["customer"]
why = "backslash"
leaks = false
--- */
SELECT c.name AS customer FROM customers c WHERE c.shop_id = %(shop_id)s AND c.name <> 'x\' OR 1=1 -- '
