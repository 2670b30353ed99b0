#!/usr/bin/env bash
# A self-signed certificate for the compose stack's nginx (infra/nginx/certs/, gitignored).
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")/certs"
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/tls.key" -out "$dir/tls.crt"
chmod 644 "$dir/tls.key" # read by nginx's unprivileged user inside the container
echo "wrote $dir/tls.crt and $dir/tls.key"
