#!/usr/bin/env bash
# Installs what the test suite needs beyond Maven and a JDK, idempotently:
#   - Debian's nginx, which the served-policy tests run on loopback with the generated configuration;
#   - the pinned kube-apiserver, etcd and kubectl, built from their Go modules (k8s-binaries.sh);
#   - the pinned helm for the chart tests, built from its Go module (helm-binary.sh).
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

start=$(date +%s)
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "setup.sh: installing Debian's nginx-light for the served-policy tests" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
fi
echo "setup.sh: nginx: $( (nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1) | head -1) ($(( $(date +%s) - start ))s)" >&2

"$here/k8s-binaries.sh"
"$here/helm-binary.sh"
