/* ---
title = "The server's accounts"
description = "mysql.user holds the server's password hashes."
topic = "Crafted"
columns = ["customer"]
why = "another database"
leaks = false
--- */
SELECT u.user, u.password FROM mysql.user u WHERE %(shop_id)s = %(shop_id)s
