#!/usr/bin/env bash
# Installs the Debian packages a local cluster runs on: one-node Ceph (monitor,
# OSD, radosgw) and Redis. Idempotent: packages already present are not fetched.
set -euo pipefail
packages=(ceph-mon ceph-osd radosgw redis-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
export DEBIAN_FRONTEND=noninteractive
# Another apt run (e.g. CI installing Chromium) may hold the lock: wait for it.
apt_get() { apt-get -o DPkg::Lock::Timeout=300 "$@"; }
apt_get update -qq
apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packages' service units are not used: the cluster runs the daemons as plain processes.
