#!/bin/sh
# Renders a view with `glassbox screenshot` under Xvfb and checks the PNG's size and that it is not blank.
# usage: screenshot_test.sh GLASSBOX PNG_CHECK OUT_DIR VIEW WxH SCALE THEME
set -e
glassbox=$1; check=$2; dir=$3; view=$4; size=$5; scale=$6; theme=$7
mkdir -p "$dir"
out="$dir/$view-$size-$scale-$theme.png"
rm -f "$out"
run() { "$glassbox" screenshot --view "$view" --out "$out" --size "$size" --scale "$scale" --theme "$theme"; }
if [ -n "$DISPLAY" ]; then run; else xvfb-run -a -s "-screen 0 1920x1080x24" "$glassbox" screenshot --view "$view" --out "$out" --size "$size" --scale "$scale" --theme "$theme"; fi
w=${size%x*}; h=${size#*x}
"$check" "$out" "$w" "$h"
