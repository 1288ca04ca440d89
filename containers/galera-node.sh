#!/bin/bash
# One Galera node. Node 1 (GALERA_BOOTSTRAP=1) starts a new cluster when its data directory is empty, making the
# app's accounts first; every other start joins a running peer. After the whole cluster was stopped, node 1
# starts it again only if it left last (safe_to_bootstrap: 1 in grastate.dat): containers/stack.py down stops
# it last.
set -euo pipefail

datadir=/var/lib/mysql
peers=(db1 db2 db3)
me=$(hostname)
address=$(hostname -i | awk '{print $1}')

log() { echo "galera-node $me: $*" >&2; }

peer_answers() {  # a running Galera peer accepts connections on its replication port
  local peer
  for peer in "${peers[@]}"; do
    [ "$peer" = "$me" ] && continue
    timeout 1 bash -c "</dev/tcp/$peer/4567" 2>/dev/null && return 0
  done
  return 1
}

checked() {  # names and passwords go into SQL text: allow only characters that need no quoting
  [[ "$2" =~ ^[A-Za-z0-9_.~-]{1,80}$ ]] || { log "$1 is missing or has characters other than A-Z a-z 0-9 _ . ~ -"; exit 1; }
  printf '%s' "$2"
}

make_accounts() {  # on a server of its own (no network, no replication): the database and the two accounts
  local db app app_pw admin admin_pw
  db=$(checked MYSQL_DATABASE "${MYSQL_DATABASE:-}")
  app=$(checked MYSQL_USER "${MYSQL_USER:-}")
  app_pw=$(checked MYSQL_PASSWORD "${MYSQL_PASSWORD:-}")
  admin=$(checked MYSQL_ADMIN_USER "${MYSQL_ADMIN_USER:-}")
  admin_pw=$(checked MYSQL_ADMIN_PASSWORD "${MYSQL_ADMIN_PASSWORD:-}")
  local socket=/run/mysqld/init.sock
  mariadbd --user=mysql --wsrep-on=OFF --wsrep-provider=none --skip-networking --socket="$socket" &
  local pid=$!
  for _ in $(seq 60); do mariadb-admin --socket="$socket" ping >/dev/null 2>&1 && break; sleep 0.5; done
  # The app connects through HAProxy, from another container: accounts from any host ('%'). As README's
  # "Accounts on your own server": the admin has everything on the app's database, the app rows only.
  mariadb --socket="$socket" <<SQL
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER '$admin'@'%' IDENTIFIED BY '$admin_pw';
GRANT ALL PRIVILEGES ON \`$db\`.* TO '$admin'@'%';
CREATE USER '$app'@'%' IDENTIFIED BY '$app_pw';
GRANT SELECT, INSERT, UPDATE, DELETE ON \`$db\`.* TO '$app'@'%';
-- HAProxy's check (galera-synced) reads one status variable as this account: the OS user of the same name.
CREATE USER 'clustercheck'@'localhost' IDENTIFIED VIA unix_socket;
SQL
  mariadb-admin --socket="$socket" shutdown
  wait "$pid"
}

install -d -o mysql -g mysql /run/mysqld
chown mysql:mysql "$datadir"

fresh=0
if [ ! -d "$datadir/mysql" ]; then
  fresh=1
  log "empty data directory: initialising"
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db >/dev/null
fi

args=(--user=mysql "--wsrep-node-name=$me" "--wsrep-node-address=$address")
if [ "${GALERA_BOOTSTRAP:-0}" = 1 ] && [ "$fresh" = 1 ]; then
  make_accounts
  log "starting a new cluster"
  args+=(--wsrep-new-cluster)
elif [ "${GALERA_BOOTSTRAP:-0}" = 1 ] && ! peer_answers && grep -q '^safe_to_bootstrap: *1' "$datadir/grastate.dat" 2>/dev/null; then
  log "no peer answers and this node left last: starting the cluster again"
  args+=(--wsrep-new-cluster)
else
  waited=0
  until peer_answers; do
    if (( waited % 30 == 0 )); then
      log "waiting for a running peer to join (${waited}s)"
      if [ "${GALERA_BOOTSTRAP:-0}" = 1 ]; then
        log "this node did not leave last (safe_to_bootstrap: 0): start the node that did, or see README"
      fi
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "joining"
fi

# The check HAProxy asks on port 9200: not as root, and answering only whether this node is Synced.
runuser -u clustercheck -- socat TCP-LISTEN:9200,reuseaddr,fork EXEC:/usr/local/bin/galera-synced &
exec mariadbd "${args[@]}"
