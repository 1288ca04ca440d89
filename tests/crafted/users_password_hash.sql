/* ---
title = "Password hashes"
description = "Reads users, which no question may read."
topic = "Crafted"
columns = ["customer"]
why = "users"
leaks = false
--- */
SELECT u.phone, u.password_hash FROM users u JOIN shop_members m ON m.user_id = u.id WHERE m.shop_id = %(shop_id)s
