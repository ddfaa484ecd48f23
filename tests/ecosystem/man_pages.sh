#!/usr/bin/env bash
# The man pages of handoff-presenter and handoff-producer install in section 1, render, and
# mention every option that the program's --help lists.
. "$(dirname "$0")/../e2e/lib.sh"
cmake --install "$HANDOFF_BUILD" --prefix "$WORK/prefix" >/dev/null || fail "install failed"
for prog in "$PRESENTER" "$PRODUCER"; do
  name=$(basename "$prog")
  page=$(find "$WORK/prefix" -path "*/man/man1/$name.1")
  [ -n "$page" ] || {
    grep -q "HANDOFF_MANPAGES:BOOL=OFF" "$HANDOFF_BUILD/CMakeCache.txt" && skip "man pages are off"
    command -v help2man >/dev/null || skip "help2man is not installed, so no man pages are built"
    fail "no $name.1 installed"
  }
  if command -v man >/dev/null; then
    man -l "$page" 2>"$WORK/$name.err" >"$WORK/$name.txt"
  else
    groff -man -Tutf8 -P-cbou "$page" 2>"$WORK/$name.err" >"$WORK/$name.txt"
  fi || fail "$name.1 does not render"
  [ ! -s "$WORK/$name.err" ] || { cat "$WORK/$name.err" >&2; fail "$name.1 renders with warnings"; }
  grep -q "^NAME" "$WORK/$name.txt" || fail "$name.1 has no NAME section"
  grep -q "^SYNOPSIS" "$WORK/$name.txt" || fail "$name.1 has no SYNOPSIS section"
  # Every option of --help, in the page's source (the rendering may hyphenate long options).
  "$prog" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >"$WORK/$name.options"
  [ "$(wc -l <"$WORK/$name.options")" -gt 5 ] || fail "$name --help lists too few options"
  sed 's/\\-/-/g' "$page" >"$WORK/$name.source"
  while read -r opt; do
    grep -qE -- "$opt([^a-z0-9-]|$)" "$WORK/$name.source" || fail "$name.1 does not mention $opt"
  done <"$WORK/$name.options"
  echo "$name.1: $(wc -l <"$WORK/$name.options") options, all documented"
done
echo ok
