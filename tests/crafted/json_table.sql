/* ---
title = "A table function"
description = "JSON_TABLE makes rows from text; only the shop's tables are read."
topic = "Crafted"
columns = ["customer"]
why = "JSON_TABLE"
leaks = false
--- */
SELECT j.x FROM JSON_TABLE('[1]', '$[*]' COLUMNS (x INT PATH '$')) AS j WHERE %(shop_id)s > 0
