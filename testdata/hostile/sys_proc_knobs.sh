#!/bin/sh
# hostile: writes host-wide kernel knobs (sysrq trigger, sysctls) and the hostname
# modes: exec validate integration
# expect: contained
for f in /proc/sysrq-trigger /proc/sys/kernel/core_pattern /proc/sys/vm/drop_caches /proc/sys/kernel/hostname; do
  if (echo h > "$f") 2>/dev/null; then echo "ESCAPED: wrote $f"; exit 99; fi
done
if hostname pwned 2>/dev/null; then echo "ESCAPED: set hostname"; exit 99; fi
echo "CONTAINED: kernel knobs read-only"
