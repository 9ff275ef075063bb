#!/bin/sh
# Runs a command and checks its exit code and that its output (stdout + stderr) matches a pattern.
# usage: expect_exit.sh CODE PATTERN COMMAND [ARGS…]
want=$1; pattern=$2; shift 2
out=$("$@" 2>&1); code=$?
printf '%s\n' "$out"
if [ "$code" -ne "$want" ]; then echo "expect_exit: exit code $code, expected $want" >&2; exit 1; fi
if ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then echo "expect_exit: output does not match /$pattern/" >&2; exit 1; fi
exit 0
