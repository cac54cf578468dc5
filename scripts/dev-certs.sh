#!/usr/bin/env bash
# A local certificate authority and a server certificate signed by it, for development and the tests: the app's
# HTTPS and Asterisk's WSS (browsers give a microphone only to secure pages, and a wss:// socket from an https://
# page must present a certificate the browser trusts). Nothing here is ever committed: the files go to a git-ignored
# run directory and are made again when missing or near their end.
#
# Usage: scripts/dev-certs.sh <dir>            (default <repo>/.run/tls)
# Env:   TLS_NAMES  extra names for the server certificate, comma-separated, e.g. "callcenter.lan,IP:192.168.1.20"
#                   (localhost, 127.0.0.1 and ::1 are always in it)
# Writes: ca.pem, ca.key (the authority; import ca.pem into a browser to trust it), server.pem (server certificate
#         then the CA: the chain to present), server.key, ca.spki (base64 SHA-256 of the CA's public key, for
#         Chromium's --ignore-certificate-errors-spki-list in the browser tests).
#
# Real certificates: do not use this script; give the app CALLCENTER_TLS_CERTIFICATE/_PRIVATE_KEY and Asterisk
# TLS_CERTIFICATE/TLS_PRIVATE_KEY (scripts/asterisk.sh), e.g. Let's Encrypt's fullchain.pem and privkey.pem.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${1:-$REPO/.run/tls}
NAMES=${TLS_NAMES:-}

command -v openssl >/dev/null || { echo "dev-certs.sh: openssl is missing (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$DIR"
chmod 700 "$DIR"
cd "$DIR"

san="DNS:localhost,IP:127.0.0.1,IP:::1"
for name in ${NAMES//,/ }; do
  case "$name" in
    IP:*|DNS:*) san="$san,$name" ;;
    *[!0-9.]*) san="$san,DNS:$name" ;;
    *) san="$san,IP:$name" ;;
  esac
done

# Made again when missing, when the names changed, or within 30 days of the end.
if [ -s ca.pem ] && [ -s server.pem ] && [ -s server.key ] && [ "$(cat san 2>/dev/null)" = "$san" ] \
    && openssl x509 -in server.pem -noout -checkend $((30 * 86400)) >/dev/null; then
  exit 0
fi

umask 077
if [ ! -s ca.key ] || ! openssl x509 -in ca.pem -noout -checkend $((60 * 86400)) >/dev/null 2>&1; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
  openssl req -x509 -new -key ca.key -sha256 -days 825 -subj "/O=callcenter development/CN=callcenter local CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out ca.pem
fi
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key 2>/dev/null
openssl req -new -key server.key -subj "/O=callcenter development/CN=localhost" -out server.csr
# 397 days: the longest validity browsers accept for a server certificate.
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days 397 -out server.crt \
  -extfile <(printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$san") \
  2>/dev/null
cat server.crt ca.pem > server.pem
rm -f server.csr server.crt ca.srl
openssl x509 -in ca.pem -noout -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary \
  | base64 > ca.spki
echo "$san" > san
# Readable by the app and by Asterisk (both may run as other users than the one who ran this); the directory
# itself stays private.
chmod 644 ca.pem server.pem ca.spki
chmod 640 server.key
echo "dev-certs.sh: development CA and server certificate ($san) in $DIR" >&2
