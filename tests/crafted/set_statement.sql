/* ---
title = "SET"
description = "Not a SELECT."
topic = "Crafted"
columns = ["customer"]
why = "SELECT"
leaks = false
--- */
SET @n = (SELECT COUNT(*) FROM users WHERE %(shop_id)s > 0)
