#!/bin/sh
# Install the shared libraries Qt loads when they are missing (Debian package names).
#   ensure-system-libs.sh            what Qt needs even offscreen (tests, self-test)
#   ensure-system-libs.sh --display  also what the xcb platform plugin needs for a real window
# On systems without apt-get, or when not root, it only says what is missing.
set -u
pairs="libEGL.so.1:libegl1 libGL.so.1:libgl1 libxkbcommon.so.0:libxkbcommon0
       libfontconfig.so.1:libfontconfig1 libdbus-1.so.3:libdbus-1-3
       libglib-2.0.so.0:libglib2.0-0 libfreetype.so.6:libfreetype6"
if [ "${1:-}" = "--display" ]; then
  pairs="$pairs libxcb-cursor.so.0:libxcb-cursor0 libxkbcommon-x11.so.0:libxkbcommon-x11-0
         libxcb-icccm.so.4:libxcb-icccm4 libxcb-keysyms.so.1:libxcb-keysyms1
         libxcb-image.so.0:libxcb-image0 libxcb-render-util.so.0:libxcb-render-util0
         libxcb-shape.so.0:libxcb-shape0 libxcb-xkb.so.1:libxcb-xkb1
         libX11.so.6:libx11-6 libX11-xcb.so.1:libx11-xcb1 libxcb.so.1:libxcb1"
fi
missing=""
for pair in $pairs; do
  lib=${pair%%:*}; pkg=${pair#*:}
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system libraries for Qt:$missing"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "Qt needs these system libraries, please install them:$missing" >&2
  exit 1
fi
