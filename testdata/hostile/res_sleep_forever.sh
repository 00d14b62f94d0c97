#!/bin/sh
# hostile: sleeps forever
# modes: exec validate integration
# expect: timeout
exec sleep 100000
