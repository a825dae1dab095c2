#!/bin/sh
# E2E script for dash + busybox-static (kernel-core issue, "Done when"): shell
# features and more than 50 busybox applet invocations. The output must be
# deterministic — no times, pids or directory order — so ir0 and the real
# kernel can be compared byte for byte. Works in /tmp/bb-e2e; run by dash.
set -u
section() { echo "== $1"; }

# Busybox applets come first in PATH, as symbolic links to /bin/busybox, so
# `sort` is busybox's sort (exec through a symlink, argv[0] dispatch). The
# links are made one by one: `busybox --install` needs /proc/self/exe.
work=/tmp/bb-e2e
busybox rm -rf "$work"
busybox mkdir -p "$work/bin"
for applet in awk base64 basename bc bunzip2 bzip2 cat cmp cp cut diff dirname du env expand expr factor find fold \
    grep gunzip gzip head hexdump id ln ls md5sum mkdir mktemp mv nl od paste readlink rev rm sed seq sha1sum \
    sha256sum sha512sum sleep sort stat tac tail tar touch tr uname uniq wc xargs yes; do
  busybox ln -s /bin/busybox "$work/bin/$applet"
done
PATH="$work/bin:$PATH"
export PATH
cd "$work" || exit 1

section arithmetic
a=7 b=3
echo "$((a + b)) $((a - b)) $((a * b)) $((a / b)) $((a % b)) $((a << b)) $((a ^ b)) $(( (a > b) ? a : b ))"
i=0; sum=0
while [ "$i" -lt 100 ]; do sum=$((sum + i * i)); i=$((i + 1)); done
echo "sum of squares below 100: $sum"
expr 6 \* 7
echo "2^20" | bc 2>/dev/null || echo 'no bc'
factor 360

section loops-and-functions
fib() { if [ "$1" -lt 2 ]; then echo "$1"; else echo $(( $(fib $(($1 - 1))) + $(fib $(($1 - 2))) )); fi; }
for n in 0 1 2 5 10 12; do printf 'fib(%d)=%s\n' "$n" "$(fib "$n")"; done
count=0
until [ "$count" -ge 3 ]; do count=$((count + 1)); echo "until $count"; done
for word in alpha beta gamma; do
  case "$word" in a*) echo "$word starts with a";; *a) echo "$word ends with a";; esac
done
seq 1 5 | while read -r line; do echo "line $line"; done

section files-and-redirections
printf 'banana\napple\ncherry\napple\ndate\n' > fruits.txt
echo 'elderberry' >> fruits.txt
wc -l < fruits.txt
sort fruits.txt | uniq -c | sed 's/^ *//'
sort -r fruits.txt | head -n 2
tail -n 2 fruits.txt
cat -n fruits.txt 2>&1 | tr 'a-z' 'A-Z'
{ echo out; echo err >&2; } 2>&1 | sort
exec 3> fd3.txt; echo 'via fd 3' >&3; exec 3>&-; cat fd3.txt
cut -c1-3 fruits.txt | paste -s -d, -
grep -c an fruits.txt
grep -n '^[a-c]' fruits.txt
grep -v e fruits.txt || true
awk '{ n[$1]++ } END { for (k in n) print k, n[k] }' fruits.txt | sort
awk -F: 'BEGIN { OFS="|" } { print NR, length($0), toupper($0) }' fruits.txt
sed -n '2,4p' fruits.txt
sed -e 's/a/A/g' -e '/cherry/d' fruits.txt
tr -d 'aeiou' < fruits.txt | rev
od -A d -t x1 fd3.txt | head -n 1
hexdump -C fd3.txt | head -n 1
basename /usr/lib/libc.so.6 .6; dirname /usr/lib/libc.so.6
readlink "$work/bin/sort"

section subshells-and-substitution
x=outer
(x=inner; echo "in subshell: $x")
echo "after subshell: $x"
files=$(ls | sort | tr '\n' ' ')
echo "files: $files"
echo "nested: $(echo "$(echo deep)")"
echo "backticks: `expr 1 + 1`"
set -- one two three
echo "args: $# $2 ${3%ee}"
v=path/to/file.tar.gz
echo "${v##*/} ${v%%.*} ${#v}"

section pipes-sort-xargs
seq 20 | sort -n -r | head -n 3
printf '3 c\n1 a\n2 b\n10 j\n' | sort -k1,1n | cut -d' ' -f2 | tr -d '\n'; echo
printf 'a\nb\nc\n' | xargs echo items:
printf 'x y z\n' | xargs -n 1 echo item
seq 1 10 | xargs -n 3 | awk '{ s=0; for (i=1;i<=NF;i++) s+=$i; print NF, s }'
yes hello | head -n 3
printf '5\n3\n5\n1\n' | sort -u | tr '\n' ','; echo

section find-tar-gzip-checksums
mkdir -p tree/a/b tree/c
echo one > tree/a/one.txt; echo two > tree/a/b/two.txt; echo three > tree/c/three.txt
ln -s ../a/one.txt tree/c/link
find tree -type f | sort
find tree -name '*.txt' -path '*b*' | sort
find tree -type l | sort
find tree -type d | sort | xargs -n 1 basename
touch -d '2020-01-02 03:04:05' tree/a/one.txt tree/a/b/two.txt tree/c/three.txt tree/a/b tree/a tree/c tree
stat -c '%n %s %Y' tree/a/one.txt
tar -cf tree.tar tree/a/one.txt tree/a/b/two.txt tree/c/three.txt
tar -tvf tree.tar | awk '{ print $1, $3, $6 }'
sha256sum tree.tar | cut -d' ' -f1
gzip -c < tree.tar > tree.tar.gz
gunzip -c tree.tar.gz | cmp - tree.tar && echo 'gunzip round trip ok'
sha256sum tree.tar.gz | cut -d' ' -f1
mkdir out; tar -xzf tree.tar.gz -C out
find out -type f | sort | xargs cat
md5sum tree/a/one.txt | cut -d' ' -f1
sha1sum tree/c/three.txt | cut -d' ' -f1
sha512sum tree/a/b/two.txt | cut -c1-32
seq 1000 | gzip -9 | gunzip | tail -n 1
bzip2 -c < fruits.txt | bunzip2 | wc -c
du -s tree/a/one.txt | cut -f2
diff tree/a/one.txt tree/c/three.txt > diff.txt; echo "diff status $?"
sed 1,2d diff.txt
cp tree/a/one.txt copy.txt; mv copy.txt moved.txt; ls moved.txt; rm moved.txt
[ -e moved.txt ] || echo 'moved.txt removed'

section traps-kill-background
trap 'echo "trapped USR1"' USR1
kill -USR1 $$
( trap 'echo "child caught TERM"; exit 4' TERM; sh -c 'kill -TERM $PPID'; sleep 5 ); echo "subshell status $?"
sleep 5 & bg=$!
kill "$bg"
wait "$bg"; echo "killed job status $?"
( echo background job runs ) > bg.txt &
wait $!; cat bg.txt
for n in 1 2 3; do ( echo "job $n" > "job$n.txt" ) & done
wait
cat job1.txt job2.txt job3.txt
false & wait $!; echo "false in background: $?"
trap 'echo "exit trap runs"' EXIT

section misc-applets
echo 'hello world' | wc -w
printf 'a b\tc\n' | expand -t 4 | od -c | head -n 1
echo 'the quick brown fox' | fold -w 10
echo 'x' | sha256sum | cut -c1-16
echo dGVzdA== | base64 -d; echo
echo test | base64
printf 'b\na\n' | tac
id -u; id -un
test 3 -gt 2 && echo 'test ok'
[ -d /tmp ] && echo '/tmp is a directory'
env -i A=1 B=2 env | sort
true; echo "true: $?"; false || echo "false: $?"
mktemp -d -p "$work" | sed 's/tmp\.[A-Za-z0-9]*/tmp.X/'
nl fruits.txt | head -n 2
printf '%05d|%-6s|%x|%o|%c\n' 42 ab 255 8 Z
uname -s; uname -m
echo done
