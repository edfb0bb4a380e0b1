#!/bin/sh
# Chooses how the reverse proxy listens, at each start of its container (the nginx image runs the executable scripts of
# /docker-entrypoint.d/ before nginx; docker-compose.prod.yml mounts this one there). With a certificate and its key in
# the mounted certificate directory (fullchain.pem and privkey.pem: see README "TLS"), https on 8443 and http on 3000
# redirecting to it; without them, plain http on 3000. nginx includes the chosen servers file from status.conf.
# After adding or renewing a certificate: docker compose -f docker-compose.prod.yml restart reverse-proxy (or
# `exec reverse-proxy nginx -s reload` when only renewing).
set -eu

tls_dir="${STATUS_NGINX_TLS_DIR:-/etc/nginx/tls}"
conf_dir="${STATUS_NGINX_CONF_DIR:-/etc/nginx}"
servers_file="${STATUS_NGINX_SERVERS_FILE:-/tmp/status-servers.conf}"

if [ -s "$tls_dir/fullchain.pem" ] && [ -s "$tls_dir/privkey.pem" ]; then
  cp "$conf_dir/servers-tls.conf" "$servers_file"
  echo "status-tls: certificate found in $tls_dir: https on 8443, http on 3000 redirects to https"
else
  cp "$conf_dir/servers-plain.conf" "$servers_file"
  echo "status-tls: no fullchain.pem and privkey.pem in $tls_dir: plain http on 3000"
fi
