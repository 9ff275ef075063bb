#!/bin/sh
# `glassbox export` end to end: data headless (CSV/JSON), a 2× picture and a GIF under Xvfb, and bad requests.
# usage: cli_test.sh GLASSBOX PNG_CHECK OUT_DIR
set -u
gb=$1; png_check=$2; dir=$3
here=$(dirname "$0"); lessons="$here/../lessons/data/good"
mkdir -p "$dir"; rm -f "$dir"/export-*
fail() { echo "cli_test: $*" >&2; exit 1; }
xv() { xvfb-run -a -s "-screen 0 1920x1080x24" "$@"; }

# Data without a window: the GAN's points after 5 steps, a header row then rows of numbers.
"$gb" export gan.playground "$dir/export-gan.csv" --do "gan step 5" || fail "CSV export failed"
head -1 "$dir/export-gan.csv" | grep -q ',' || fail "CSV has no header row"
rows=$(($(wc -l < "$dir/export-gan.csv") - 1))
[ "$rows" -ge 10 ] || fail "CSV has $rows rows"
"$gb" export diffusion.schedule "$dir/export-schedule.json" || fail "JSON export failed"
grep -q '"glassbox_export": 1' "$dir/export-schedule.json" || fail "JSON is not a glassbox export"

# A picture at 2×: its size is twice the panel's on screen; not blank.
out=$(xv "$gb" export gan.playground "$dir/export-gan.png" --scale 2 --size 800x600 --do "gan step 5") || fail "PNG export failed: $out"
echo "$out"
size=$(echo "$out" | sed -n 's/^wrote .* (\([0-9]*\)x\([0-9]*\),.*/\1 \2/p')
[ -n "$size" ] || fail "no size in: $out"
set -- $size
[ "$1" -gt 1200 ] || fail "a 2x picture of a panel in an 800x600 window is only $1 wide"
"$png_check" "$dir/export-gan.png" "$1" "$2" || fail "the PNG is wrong"

# An animation: 3 denoising frames read back with giflib, first/middle/last written as PNGs.
out=$(xv "$gb" export gif diffusion.filmstrip "$dir/export-film.gif" --frames 3 --fps 5 --size 800x600 --frames-png "$dir/export-film") ||
  fail "GIF export failed: $out"
echo "$out"
echo "$out" | grep -q "read back: 3 frames of .* 20/100 s each, looping" || fail "the GIF does not read back as 3 frames at 5 fps"
for f in first middle last; do [ -s "$dir/export-film/export-film-$f.png" ] || fail "no $f frame PNG"; done

# A worksheet: the fixture lesson's 4 steps with their pictures, 2 questions, the teacher page last; valid HTML.
out=$(GLASSBOX_LESSONS="$lessons" xv "$gb" export worksheet example "$dir/export-sheet.html" --size 1024x640) || fail "worksheet failed: $out"
echo "$out"
python3 "$here/check_html.py" "$dir/export-sheet.html" 4 2 || fail "the worksheet page is wrong"
[ "$(grep -c 'data:image/png;base64,' "$dir/export-sheet.html")" -eq 4 ] || fail "the worksheet does not hold 4 pictures"
GLASSBOX_LESSONS="$lessons" "$gb" export worksheet example "$dir/export-sheet-text.html" --no-pictures || fail "--no-pictures failed"
python3 "$here/check_html.py" "$dir/export-sheet-text.html" 4 2 || fail "the text-only worksheet is wrong"
out=$("$gb" export worksheet no-such-lesson "$dir/export-x.html" 2>&1); [ $? -eq 2 ] || fail "an unknown lesson was accepted"
echo "$out" | grep -q "no lesson .no-such-lesson." || fail "unclear message: $out"

# Inside the app (the command line, lessons, --do): the export runs between frames and writes the files.
xv "$gb" screenshot --view gan --size 1024x640 --out "$dir/export-app-after.png" \
  --do "gan step 5; export gan.losses $dir/export-app-losses.png --scale 2; export gan.losses $dir/export-app-losses.json" ||
  fail "the app's export command failed"
head -c 8 "$dir/export-app-losses.png" | od -c | grep -q "P   N   G" || fail "the app did not write the PNG"
grep -q '"panel": "gan.losses"' "$dir/export-app-losses.json" || fail "the app did not write the JSON"

# Bad requests: a clear message and exit code 2, nothing written.
out=$("$gb" export gan.playground "$dir/export-x.txt" 2>&1); [ $? -eq 2 ] || fail "a .txt file was accepted"
echo "$out" | grep -q "ends in .png (picture), .csv or .json" || fail "unclear message: $out"
out=$("$gb" export gif gan.map "$dir/export-x.gif" 2>&1); [ $? -eq 2 ] || fail "a GIF of a still panel was accepted"
out=$("$gb" export gan.playground "$dir/export-x.png" --scale 3 2>&1); [ $? -eq 2 ] || fail "--scale 3 was accepted"
out=$("$gb" export nothing.here "$dir/export-x.csv" 2>&1); [ $? -ne 0 ] || fail "an unknown panel was accepted"
echo "$out" | grep -q "nothing.here" || fail "the message does not name the panel: $out"
[ ! -e "$dir/export-x.txt" ] && [ ! -e "$dir/export-x.png" ] || fail "a refused export wrote a file"
echo "cli_test: ok"
