#!/bin/sh
# hostile: a shell script hunting for credentials in the usual places
# modes: exec validate integration
# expect: contained
for f in /root/.ssh/id_rsa /root/.aws/credentials /root/.config/nexus/vault.key /root/.netrc /etc/shadow /root/.bash_history; do
  if cat "$f" >/dev/null 2>&1; then echo "ESCAPED: read $f"; exit 99; fi
done
if ls /root >/dev/null 2>&1; then echo "ESCAPED: listed /root"; exit 99; fi
echo "CONTAINED: nothing to read"
