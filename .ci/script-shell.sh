#!/bin/sh
# The shell npm runs install scripts with (npm ci --script-shell, as root only): code-server's
# postinstall refuses to run as root unless npm_config_unsafe_perm=true, a setting npm 11 no longer
# knows and warns about when it is given to npm itself. Given to the scripts only, npm never sees it.
export npm_config_unsafe_perm=true
exec /bin/sh "$@"
