/* ---
title = "A file of the server"
description = "LOAD_FILE reads any file the server can."
topic = "Crafted"
columns = ["customer"]
why = "LOAD_FILE"
leaks = false
--- */
SELECT LOAD_FILE('/etc/passwd') AS secret FROM shops s WHERE s.id = %(shop_id)s
