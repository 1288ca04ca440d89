/* ---
title = "Who and where"
description = "DATABASE() and USER() tell about the server, not the shop."
topic = "Crafted"
columns = ["customer"]
why = "functions"
leaks = false
--- */
SELECT DATABASE() AS db, USER() AS account FROM shops s WHERE s.id = %(shop_id)s
