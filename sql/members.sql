-- Accounts, shops, membership and roles (duka/members.py).

-- name: user_by_phone
-- A user by E.164 phone, for login (attempts are counted in login_guards, by phone number).
SELECT id, first_name, last_name, phone, language, password_hash FROM users WHERE phone = %(phone)s;

-- name: user_by_id
-- A user by id, for re-entering the password after idle time.
SELECT id, first_name, last_name, phone, language, password_hash FROM users WHERE id = %(user_id)s;

-- name: user_id_by_phone
-- Whether a phone is taken (locks the index gap so two registrations cannot both pass).
SELECT id FROM users WHERE phone = %(phone)s FOR UPDATE;

-- name: insert_user
-- A new user.
INSERT INTO users (first_name, last_name, phone, password_hash)
VALUES (%(first_name)s, %(last_name)s, %(phone)s, %(password_hash)s);

-- name: insert_shop
-- A new shop.
INSERT INTO shops (name, currency) VALUES (%(name)s, %(currency)s);

-- name: insert_member
-- Someone joins a shop with a role.
INSERT INTO shop_members (shop_id, user_id, role) VALUES (%(shop_id)s, %(user_id)s, %(role)s);

-- name: memberships_of_user
-- The shops a user belongs to, with the role in each.
SELECT s.id AS shop_id, s.name AS shop_name, s.currency, m.role
  FROM shop_members m JOIN shops s ON s.id = m.shop_id
 WHERE m.user_id = %(user_id)s
 ORDER BY m.added_at, s.id;

-- name: role_in_shop
-- The role of a user in a shop (no row: not a member).
SELECT m.role, s.currency, s.name AS shop_name
  FROM shop_members m JOIN shops s ON s.id = m.shop_id
 WHERE m.shop_id = %(shop_id)s AND m.user_id = %(user_id)s;

-- name: members_of_shop
-- Everyone in a shop, owners first.
SELECT u.id AS user_id, u.first_name, u.last_name, u.phone, m.role, m.added_at
  FROM shop_members m JOIN users u ON u.id = m.user_id
 WHERE m.shop_id = %(shop_id)s
 ORDER BY FIELD(m.role, 'owner', 'clerk', 'analyst'), u.first_name;

-- name: member_for_update
-- One membership, locked while it changes.
SELECT role FROM shop_members WHERE shop_id = %(shop_id)s AND user_id = %(user_id)s FOR UPDATE;

-- name: owners_for_update
-- The owners of a shop, locked so the last one cannot be removed by two owners at once.
SELECT user_id FROM shop_members WHERE shop_id = %(shop_id)s AND role = 'owner' FOR UPDATE;

-- name: update_member_role
-- Change someone's role in a shop.
UPDATE shop_members SET role = %(role)s WHERE shop_id = %(shop_id)s AND user_id = %(user_id)s;

-- name: delete_member
-- Remove someone from a shop (their entries keep their names).
DELETE FROM shop_members WHERE shop_id = %(shop_id)s AND user_id = %(user_id)s;

-- name: set_user_language
-- The language a person reads Daftari in ('en' or 'sw'), kept for their next visit.
UPDATE users SET language = %(language)s WHERE id = %(user_id)s;
