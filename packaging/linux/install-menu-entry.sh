#!/bin/sh
# Adds MedShare Desktop to this user's application menu, running it from where this archive was unpacked.
# (The .deb package does this for every user; use this after unpacking the tar.gz.)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$here/medshare-desktop.png" "$icons/medshare-desktop.png"
sed -e "s|^Exec=medshare|Exec=\"$here/medshare/medshare\"|" -e "s|^TryExec=medshare|TryExec=$here/medshare/medshare|" \
  "$here/medshare-desktop.desktop" > "$apps/medshare-desktop.desktop"
echo "MedShare Desktop added to the menu ($apps/medshare-desktop.desktop)"
