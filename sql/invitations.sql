-- Invitations to a shop, by phone number, registered or not (duka/invitations.py).

-- name: lock_shop_for_invitations
-- One invitation change per shop at a time (so a phone cannot be invited twice at once).
SELECT id FROM shops WHERE id = %(shop_id)s FOR UPDATE;

-- name: member_with_phone
-- Whether someone with this phone is already a member of the shop.
SELECT m.user_id FROM shop_members m JOIN users u ON u.id = m.user_id
 WHERE m.shop_id = %(shop_id)s AND u.phone = %(phone)s;

-- name: waiting_invitation_for_phone
-- A pending, unexpired invitation of the shop for this phone.
SELECT id FROM invitations
 WHERE shop_id = %(shop_id)s AND phone = %(phone)s AND status = 'pending' AND expires_at > NOW();

-- name: insert_invitation
-- Invite a phone number to the shop for %(days)s days.
INSERT INTO invitations (shop_id, phone, role, invited_by, expires_at)
VALUES (%(shop_id)s, %(phone)s, %(role)s, %(invited_by)s, NOW() + INTERVAL %(days)s DAY);

-- name: invitations_of_shop
-- The shop's invitations still waiting for an answer.
SELECT i.id AS invitation_id, i.phone, i.role, u.first_name AS invited_by, i.created_at, i.expires_at
  FROM invitations i JOIN users u ON u.id = i.invited_by
 WHERE i.shop_id = %(shop_id)s AND i.status = 'pending' AND i.expires_at > NOW()
 ORDER BY i.id DESC;

-- name: cancel_invitation
-- The owner takes back a waiting invitation.
UPDATE invitations SET status = 'cancelled', decided_at = NOW(), decided_by = %(user_id)s
 WHERE id = %(invitation_id)s AND shop_id = %(shop_id)s AND status = 'pending';

-- name: invitations_for_phone
-- The invitations waiting for one person (by their own phone number): the shop, the role, who invited.
SELECT i.id AS invitation_id, i.shop_id, s.name AS shop_name, i.role, u.first_name AS invited_by, i.expires_at
  FROM invitations i JOIN shops s ON s.id = i.shop_id JOIN users u ON u.id = i.invited_by
 WHERE i.phone = %(phone)s AND i.status = 'pending' AND i.expires_at > NOW()
 ORDER BY i.id;

-- name: invitation_to_answer
-- One waiting invitation for this phone in this shop, locked while it is answered.
SELECT id, role FROM invitations
 WHERE id = %(invitation_id)s AND shop_id = %(shop_id)s AND phone = %(phone)s
   AND status = 'pending' AND expires_at > NOW()
   FOR UPDATE;

-- name: answer_invitation
-- Accepted or declined, by whom and when.
UPDATE invitations SET status = %(status)s, decided_at = NOW(), decided_by = %(user_id)s
 WHERE id = %(invitation_id)s AND shop_id = %(shop_id)s;

-- name: phone_of_user
-- The invitee's own phone number.
SELECT phone FROM users WHERE id = %(user_id)s;

-- name: join_shop
-- The invitee becomes a member with the invited role.
INSERT INTO shop_members (shop_id, user_id, role) VALUES (%(shop_id)s, %(user_id)s, %(role)s);
