#!/bin/sh
# E2E script for Debian's coreutils (dynamically linked, run by dash): mkdir,
# cp, mv, rm, ls -l, wc and sort, with fixed timestamps (touch -d) so that
# ls -l prints the same on ir0 and on the real kernel. Works in /tmp/cu-e2e.
set -eu
C=/usr/bin
work=/tmp/cu-e2e
$C/rm -rf "$work"
$C/mkdir -p "$work/src/deep/deeper" "$work/dst"
cd "$work"

printf 'zebra\napple\nmango\napple\nkiwi\n' > src/words.txt
$C/seq 1 500 > src/numbers.txt
printf '%s\n' 'the quick brown fox' 'jumps over' 'the lazy dog' > src/deep/text.txt
: > src/empty
$C/head -c 5000 /dev/zero | $C/tr '\0' 'x' > src/deep/deeper/big.txt
$C/ln -s words.txt src/link-to-words
$C/chmod 600 src/empty
$C/chmod 750 src/deep/deeper

echo "== wc"
$C/wc src/words.txt
$C/wc -l -w -c src/deep/text.txt src/numbers.txt
$C/wc -c < src/deep/deeper/big.txt
$C/cat src/*.txt | $C/wc -l

echo "== sort"
$C/sort src/words.txt
$C/sort -u -r src/words.txt
$C/sort -n -r src/numbers.txt | $C/head -n 3
printf '10 b\n9 a\n10 a\n1 c\n' | $C/sort -k1,1n -k2,2
printf 'b:2\na:10\nc:1\n' | $C/sort -t: -k2 -n

echo "== cp"
$C/cp src/words.txt dst/
$C/cp -r src/deep dst/deep-copy
$C/cp -p src/empty dst/empty-copy
$C/cp -P src/link-to-words dst/
[ "$($C/sha256sum < src/deep/deeper/big.txt)" = "$($C/sha256sum < dst/deep-copy/deeper/big.txt)" ] && echo 'big.txt copied intact'
$C/sha256sum src/deep/deeper/big.txt dst/deep-copy/deeper/big.txt

echo "== mv"
$C/mv dst/words.txt dst/renamed.txt
$C/mkdir dst/moved
$C/mv dst/renamed.txt dst/empty-copy dst/moved/
$C/mv dst/deep-copy dst/moved/deep

echo "== ls -l"
# Fixed times for every entry, directories last (their mtime changes when entries are added).
stamp() { $C/touch -h -d '2021-03-04 05:06:07' "$@"; }
stamp src/words.txt src/numbers.txt src/empty src/link-to-words src/deep/text.txt src/deep/deeper/big.txt
stamp dst/link-to-words dst/moved/renamed.txt dst/moved/empty-copy dst/moved/deep/text.txt dst/moved/deep/deeper/big.txt
stamp src/deep/deeper src/deep dst/moved/deep/deeper dst/moved/deep dst/moved src dst
$C/ls -l src
$C/ls -l dst dst/moved
$C/ls -la dst/moved/deep
$C/ls -ln src/deep
$C/ls -lR dst/moved/deep
$C/ls -1 src | $C/sort -r
$C/ls -l --time-style=+%Y-%m-%d src/words.txt src/link-to-words
$C/ls -ld src/deep/deeper

echo "== rm"
$C/rm dst/moved/renamed.txt
$C/rm -r dst/moved/deep
$C/rm -f dst/does-not-exist
$C/rm dst/missing 2>&1 || echo "rm status $?"
$C/rmdir src/deep/deeper 2>&1 || echo "rmdir status $?"
$C/ls -A dst dst/moved
$C/rm -rf src dst
$C/ls -A "$work"
echo done
