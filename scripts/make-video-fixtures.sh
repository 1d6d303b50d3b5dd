#!/usr/bin/env bash
# Regenerates the simulator's MP4 fixtures in test/simulator/fixtures/: one tiny, silent H.264 clip per
# aspect ratio the service offers, so a video "generated" at 9:16 really is portrait when a test, the
# preview panel or Chromium opens it.
#
# Why these settings:
#  - H.264 (libx264) in MP4, 8-bit yuv420p, Main profile: what Chrome and Electron builds with H.264 (VS Code
#    webviews included) decode; 4:4:4 or 10-bit output, which libx264 picks for some inputs, would not play.
#  - -movflags +faststart puts 'moov' first, like the real service's files, and lets the simulator append a
#    top-level 'free' box for its large-body mode without breaking the file.
#  - No audio track (-an): Seedance outputs may carry audio, but an audio codec would add size and a
#    second decoder dependency for no test value.
#  - -fflags +bitexact, -map_metadata -1 and -threads 1 keep the encoder version, dates and thread timing
#    out of the output, so a rerun normally reproduces the committed bytes (nothing depends on exact bytes:
#    the tests parse the files).
#
# Usage: scripts/make-video-fixtures.sh [ffmpeg-binary]   (default /usr/bin/ffmpeg; needs libx264)
set -euo pipefail

FFMPEG="${1:-/usr/bin/ffmpeg}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/../test/simulator/fixtures"
FONT="/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
mkdir -p "$OUT"

# ratio name -> file stem and size (even sides, as yuv420p needs; each close to its ratio).
SPECS=(
  "21:9 21x9 336x144"
  "16:9 16x9 320x180"
  "4:3 4x3 240x180"
  "1:1 1x1 200x200"
  "3:4 3x4 180x240"
  "9:16 9x16 180x320"
)

# Draw the ratio as text when this ffmpeg has drawtext and the font exists; otherwise the moving
# pattern alone still identifies a playable clip.
have_drawtext=0
if "$FFMPEG" -hide_banner -filters 2>/dev/null | grep -q ' drawtext ' && [ -f "$FONT" ]; then
  have_drawtext=1
fi

for spec in "${SPECS[@]}"; do
  read -r ratio stem size <<<"$spec"
  w="${size%x*}"
  h="${size#*x}"
  filter="format=yuv420p"
  if [ "$have_drawtext" = 1 ]; then
    label="${ratio/:/\\:}"
    fs=$(( (w < h ? w : h) / 4 ))
    filter="drawtext=fontfile=${FONT}:text='${label}':fontsize=${fs}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4:x=(w-text_w)/2:y=(h-text_h)/2,${filter}"
  fi
  "$FFMPEG" -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=${w}x${h}:rate=12:duration=2" \
    -vf "$filter" \
    -an -c:v libx264 -profile:v main -level 3.0 -pix_fmt yuv420p \
    -preset veryslow -crf 36 -g 24 -threads 1 \
    -movflags +faststart -map_metadata -1 -fflags +bitexact -flags:v +bitexact \
    "$OUT/seedance-${stem}.mp4"
  echo "wrote $OUT/seedance-${stem}.mp4 ($(stat -c %s "$OUT/seedance-${stem}.mp4") bytes, ${w}x${h}, ${ratio})"
done
