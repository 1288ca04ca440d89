#!/bin/bash
# HAProxy's check of one node (run by socat per connection on port 9200): 200 while the node is Synced
# (wsrep_local_state 4), 503 otherwise: joining, donor, or not running.
read -r -t 1 _request || true
state=$(mariadb --user=clustercheck --connect-timeout=2 -N -B \
  -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null | cut -f2)
if [ "$state" = 4 ]; then
  status="200 OK" body="synced"
else
  status="503 Service Unavailable" body="not synced (wsrep_local_state=${state:-unknown})"
fi
printf 'HTTP/1.0 %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n' \
  "$status" $((${#body} + 1)) "$body"
