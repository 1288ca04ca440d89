-- The check service HAProxy asks about each node of the private cluster (db/cluster_check.py).

-- name: node_synced_status
-- Whether a node may serve: its state (4 is Synced), whether it is ready, and the state's name for the log.
SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_ready', 'wsrep_local_state_comment');
