#!/usr/bin/env bash
# cmake/embed.cmake, which puts nvcc's fatbin into handoff-producer: a file comes back byte for
# byte from the C array it makes (with its size), and without nvcc the array is empty (size
# 0), which --renderer cuda reports as "built without CUDA kernels".
. "$(dirname "$0")/../e2e/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cat >"$WORK/main.c" <<'C'
#include <stdio.h>
extern const unsigned char blob[];
extern const size_t blob_size;
int main(void) { fwrite(blob, 1, blob_size, stdout); fprintf(stderr, "%zu\n", blob_size); return 0; }
C
head -c 1001 /dev/urandom >"$WORK/input.bin"
cmake -DINPUT="$WORK/input.bin" -DOUTPUT="$WORK/blob.c" -DNAME=blob -P "$SRC/cmake/embed.cmake"
cc -std=c11 -Wall -Werror -o "$WORK/full" "$WORK/main.c" "$WORK/blob.c" || fail "the array does not compile"
"$WORK/full" >"$WORK/output.bin" 2>"$WORK/size"
cmp "$WORK/input.bin" "$WORK/output.bin" || fail "the array is not the file"
expect_eq "size" "$(cat "$WORK/size")" 1001
cmake -DOUTPUT="$WORK/empty.c" -DNAME=blob -P "$SRC/cmake/embed.cmake"
cc -std=c11 -Wall -Werror -o "$WORK/empty" "$WORK/main.c" "$WORK/empty.c" || fail "the empty array does not compile"
"$WORK/empty" >"$WORK/output.bin" 2>"$WORK/size"
expect_eq "empty size" "$(cat "$WORK/size")" 0
echo ok
