#!/usr/bin/env bash
# Regenerates the WordPress WXR fixtures in this directory from a real
# WordPress (Debian bookworm's `wordpress` package, 6.1.x) and MariaDB.
#
# Needs root and, once:
#   apt-get install --no-install-recommends wordpress wordpress-l10n \
#       mariadb-server php-cli php-mysql php-xml php-gd php-mbstring libxml2-utils
# Starts MariaDB if it is not running (and stops it again afterwards).
# No web server is used: make-fixtures.php loads WordPress from the PHP CLI.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "run as root (MariaDB admin via unix socket)" >&2; exit 1; }
HERE="$(cd "$(dirname "$0")" && pwd)"
export WXR_DB_NAME=wxr_fixtures WXR_DB_USER=wxr_fixtures WXR_DB_PASSWORD=wxr_fixtures
WORK="$(mktemp -d /tmp/wxr-fixtures.XXXXXX)"
STARTED_DB=""

cleanup() {
  if [ -n "$STARTED_DB" ]; then mysqladmin shutdown || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! mysqladmin ping >/dev/null 2>&1; then
  /etc/init.d/mariadb start
  STARTED_DB=1
fi

mysql -e "CREATE USER IF NOT EXISTS '$WXR_DB_USER'@'localhost' IDENTIFIED BY '$WXR_DB_PASSWORD';
          GRANT ALL ON \`$WXR_DB_NAME\`.* TO '$WXR_DB_USER'@'localhost';"

# site NAME PERMALINK_STRUCTURE: fresh database + fresh wp-content, then build.
site() {
  local content="$WORK/$1"
  mysql -e "DROP DATABASE IF EXISTS \`$WXR_DB_NAME\`;
            CREATE DATABASE \`$WXR_DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  rm -rf "$content"; mkdir -p "$content"
  php "$HERE/make-fixtures.php" install "$content" "$2"
  php "$HERE/make-fixtures.php" build "$content"
}

site dated '/%year%/%monthnum%/%day%/%postname%/'
php "$HERE/make-fixtures.php" export "$WORK/dated" "$HERE/wordpress-dated.xml" all
php "$HERE/make-fixtures.php" export "$WORK/dated" "$HERE/wordpress-posts-only.xml" post

rm -rf "$HERE/uploads"
cp -r "$WORK/dated/uploads" "$HERE/uploads"

site category '/%category%/%postname%/'
php "$HERE/make-fixtures.php" export "$WORK/category" "$HERE/wordpress-category.xml" all

# Both sites must have produced the same media files.
diff -r "$WORK/dated/uploads" "$WORK/category/uploads" >/dev/null \
  || { echo "uploads differ between the two builds" >&2; exit 1; }

mysql -e "DROP DATABASE IF EXISTS \`$WXR_DB_NAME\`; DROP USER IF EXISTS '$WXR_DB_USER'@'localhost';"

for f in "$HERE"/wordpress-*.xml; do
  xmllint --noout "$f"
  echo "ok $(basename "$f") $(wc -c <"$f") bytes"
done
du -sh "$HERE/uploads"
