#!/bin/sh
# Every transformer panel draws, under Xvfb, for an empty prompt, a one-token prompt, a prompt longer
# than the model's context and bytes that are not UTF-8; each frame is checked (size, not blank).
# usage: awkward_prompts.sh GLASSBOX PNG_CHECK OUT_DIR
set -e
glassbox=$1; check=$2; dir=$3
mkdir -p "$dir"
panels="generate tokens embeddings attention block probabilities logit-lens beam training"
open=""
for p in $panels; do open="$open open transformer.$p;"; done
long=$(i=0; while [ $i -lt 60 ]; do printf 'Mia the cat ran to the park and saw a dog. '; i=$((i + 1)); done)
shot() {
  name=$1; do_cmds=$2
  out="$dir/awkward-$name.png"
  rm -f "$out"
  if [ -n "$DISPLAY" ]; then
    "$glassbox" screenshot --view transformer --out "$out" --size 1600x900 --do "$do_cmds"
  else
    xvfb-run -a -s "-screen 0 1920x1080x24" "$glassbox" screenshot --view transformer --out "$out" --size 1600x900 --do "$do_cmds"
  fi
  "$check" "$out" 1600 900
  echo "ok: $name"
}
shot empty "$open transformer prompt \"\""
shot one-token "$open transformer prompt \"Mia\"; transformer step 1"
shot longer-than-context "$open transformer prompt \"$long\"; transformer step 2"
shot not-utf8 "$open transformer prompt \"\\xff\\xfe \\xe6\\x97 caf\\xc3\"; transformer step 1"
