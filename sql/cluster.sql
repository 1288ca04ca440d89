-- The private Galera cluster (db/cluster.py).

-- name: node_wsrep_status
-- A node's Galera status values (wsrep_local_state_comment, wsrep_cluster_size, ...), asked over its socket.
SHOW GLOBAL STATUS LIKE 'wsrep%';
