#!/bin/bash
# Healthy only when the real server answers a query over TCP with InnoDB up. The init server listens
# on the socket only, so this fails until initialisation has finished. (Debian's packages do not ship
# the official image's healthcheck.sh.) The entrypoint made the login-only account in this file.
set -euo pipefail
cnf=/var/lib/mysql/.my-healthcheck.cnf
if [[ ! -r $cnf ]]; then
  echo "unhealthy: no $cnf (initialisation has not finished, or the data was not made by this image)" >&2
  exit 1
fi
innodb=$(mariadb --defaults-extra-file="$cnf" --batch --skip-column-names \
  -e "SELECT SUPPORT FROM information_schema.ENGINES WHERE ENGINE = 'InnoDB'")
case $innodb in
  YES | DEFAULT) echo "healthy: server answers over TCP, InnoDB $innodb" ;;
  *) echo "unhealthy: InnoDB support is '$innodb'" >&2; exit 1 ;;
esac
