#!/bin/sh
# Add Workbench to this user's application menu, pointing at this unpacked folder.
# Run it again after moving the folder. Undo: remove the file it prints.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$apps"
sed -e "s|^Exec=.*|Exec=\"$here/Workbench\"|" \
    -e "s|^Icon=.*|Icon=$here/workbench.png|" \
    "$here/workbench.desktop" > "$apps/workbench.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" 2>/dev/null || true
echo "Installed $apps/workbench.desktop"
