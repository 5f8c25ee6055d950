#!/usr/bin/env bash
# Installs what the test suite needs beyond Maven and a JDK, idempotently:
#   - Debian's nginx, which the served-policy and check tests run on loopback;
#   - Debian's Knot DNS, the authoritative server the check tests point `check --resolver` at and the dynamic
#     update tests write to;
#   - Debian's PowerDNS (pdns-server, its SQLite backend, and sqlite3 to create the database), the second server
#     the dynamic update tests write to;
#   - Debian's postfix-mta-sts-resolver, the independent MTA-STS client `check` is cross-checked with;
#   - Debian's postfix, the MTA whose STARTTLS the check tests probe and which delivers the reports sent as mail;
#   - Debian's Dovecot (IMAP and LMTP), the mailbox the report poller tests read the delivered reports from;
#   - Debian's lua5.1 and lua-dkjson, to run the Argo CD health check (Argo CD's gopher-lua is Lua 5.1);
#   - a local route for the real-stack tests' pod addresses (10.42.0.0/16);
#   - the pinned kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kubectl, built from their Go
#     modules (k8s-binaries.sh);
#   - the pinned helm for the chart tests, built from its Go module (helm-binary.sh);
#   - Argo CD's Application CRD at the pinned version, from its Go module (argocd-crd.sh);
#   - the pinned external-dns and its DNSEndpoint CRD, built from its Go module (external-dns.sh);
#   - the pinned kwok (fake nodes) and its Stage files, built from its Go module (kwok.sh);
#   - a cert-manager controller and cert-manager's CRDs at the pinned version, from its Go module (cert-manager.sh);
#   - the pinned CoreDNS, built from its Go module (coredns.sh);
#   - the standard-channel Gateway API CRDs at the pinned version, from their Go module (gateway-api.sh);
#   - the pinned Traefik, the tests' Gateway API implementation, built from its Go module (traefik.sh);
#   - the pinned parsedmarc, the independent TLS-RPT parser, in a venv of its own (parsedmarc.sh).
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

start=$(date +%s)
missing=()
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
[ -x /usr/sbin/knotd ] || missing+=(knot)
[ -x /usr/sbin/pdns_server ] || missing+=(pdns-server)
[ -f /usr/lib/x86_64-linux-gnu/pdns/libgsqlite3backend.so ] || missing+=(pdns-backend-sqlite3)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
[ -x /usr/bin/mta-sts-query ] || missing+=(postfix-mta-sts-resolver)
[ -x /usr/sbin/postfix ] || missing+=(postfix)
[ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
[ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
command -v lua5.1 >/dev/null 2>&1 || missing+=(lua5.1)
[ -f /usr/share/lua/5.1/dkjson.lua ] || missing+=(lua-dkjson)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup.sh: installing Debian packages: ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  # postfix: no system configuration; the tests write their own config directory.
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo_cmd debconf-set-selections
  # No package may start its service (a DNS server's would take port 53 on every address, where the tests run
  # Knot, PowerDNS and CoreDNS): a policy-rc.d that refuses every start, for the time of the install, unless one is there.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee /usr/sbin/policy-rc.d >/dev/null
    $sudo_cmd chmod 755 /usr/sbin/policy-rc.d
    own_policy=yes
  fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -z "$own_policy" ] || $sudo_cmd rm -f /usr/sbin/policy-rc.d
fi
echo "setup.sh: $(/usr/sbin/nginx -v 2>&1 | head -1), knotd $(/usr/sbin/knotd --version | awk '{print $NF}')," \
  "pdns_server $(dpkg-query -W -f '${Version}' pdns-server)" "($(( $(date +%s) - start ))s)" >&2

# The real-stack tests' pod addresses (kwok allocates them from 10.42.0.0/16; the API server refuses loopback ones
# in EndpointSlices): routed to this host, as a CNI plugin makes pod addresses reachable from their node, so that
# the kubelet stand-in's nginx can listen on a pod's address. Not persistent: a reboot drops it, the next run adds it.
# (The routes are read whole first: `ip ... | grep -q` under pipefail fails when grep stops reading early.)
if ! grep -q '^local 10.42.0.0/16 ' <<<"$(ip route show table local)"; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd ip route add local 10.42.0.0/16 dev lo
  echo "setup.sh: routed the test pod range 10.42.0.0/16 to this host" >&2
fi

"$here/k8s-binaries.sh"
"$here/helm-binary.sh"
"$here/argocd-crd.sh"
"$here/external-dns.sh"
"$here/kwok.sh"
"$here/cert-manager.sh"
"$here/coredns.sh"
"$here/gateway-api.sh"
"$here/traefik.sh"
"$here/parsedmarc.sh"
