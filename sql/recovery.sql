-- Getting back into an account: password changes, reset codes, recovery codes (duka/recovery.py).

-- name: set_password
-- A new password hash for a user.
UPDATE users SET password_hash = %(password_hash)s WHERE id = %(user_id)s;

-- name: account_by_phone
-- A user by E.164 phone, for a reset.
SELECT id, phone FROM users WHERE phone = %(phone)s;

-- name: shops_not_owned_by
-- How many shops the member belongs to where %(owner_id)s is not an owner (an owner may reset a password only
-- when that gives them nothing beyond shops they already own).
SELECT COUNT(*) AS n
  FROM shop_members m
 WHERE m.user_id = %(user_id)s
   AND NOT EXISTS (SELECT 1 FROM shop_members o
                    WHERE o.shop_id = m.shop_id AND o.user_id = %(owner_id)s AND o.role = 'owner');

-- name: member_of_shop
-- Whether a user is a member of the owner's shop.
SELECT role FROM shop_members WHERE shop_id = %(shop_id)s AND user_id = %(user_id)s;

-- name: shops_of_member_by_owner
-- Of the shops a member belongs to, how many %(owner_id)s owns and how many not (an owner's reset code works
-- only while the member is in that owner's shops alone).
SELECT COALESCE(SUM(o.user_id IS NOT NULL), 0) AS owned, COALESCE(SUM(o.user_id IS NULL), 0) AS not_owned
  FROM shop_members m
  LEFT JOIN shop_members o ON o.shop_id = m.shop_id AND o.user_id = %(owner_id)s AND o.role = 'owner'
 WHERE m.user_id = %(user_id)s;
