#!/bin/sh
# Regenerates the eight abstract demo illustrations photo-01.jpg … photo-08.jpg
# (1200×675 JPEG, quality 75, no text, each well under 60 KB).
# Deterministic: every random source (plasma) has a fixed -seed; same ImageMagick, same bytes.
# Needs ImageMagick 6 (`apt-get install -y imagemagick`). Run from anywhere:  sh Demo/photos/make.sh
set -eu
cd "$(dirname "$0")"
S=1200x675
OUT="-strip -interlace Plane -sampling-factor 4:2:0 -quality 75"

# Grey plasma clouds, smoothed, mapped through a colour ramp ($2 = "from-to" or a 3-stop gradient).
clouds() { # seed ramp-image-args... output
  seed=$1; out=$2; shift 2
  convert -size 400x225 -seed "$seed" plasma:fractal -colorspace gray -blur 0x10 -auto-level \
    -resize $S! -blur 0x14 \( "$@" -rotate 90 \) -clut $OUT "$out"
}

# 01 — deep blue / azure clouds
clouds 101 photo-01.jpg -size 1x256 gradient:'#0b1d4f-#5fb4e6'

# 02 — warm sunset: vertical gradient with a soft sun glow
convert -size $S gradient:'#ffb347-#7b2d5b' \
  \( -size $S radial-gradient:'rgba(255,240,200,0.85)-rgba(255,240,200,0)' -roll -250+120 \) \
  -compose screen -composite -blur 0x4 $OUT photo-02.jpg

# 03 — emerald / forest clouds
clouds 303 photo-03.jpg -size 1x256 gradient:'#06281d-#6fcf97'

# 04 — violet diagonal gradient with blurred bokeh circles
convert -size $S gradient:'#3a1c71-#d76d77' \
  -fill 'rgba(255,255,255,0.18)' -draw 'circle 260,180 260,330' \
  -fill 'rgba(255,220,180,0.20)' -draw 'circle 840,420 840,620' \
  -fill 'rgba(255,255,255,0.12)' -draw 'circle 1020,140 1020,230' \
  -fill 'rgba(255,200,255,0.15)' -draw 'circle 520,560 520,640' \
  -blur 0x25 $OUT photo-04.jpg

# 05 — grey-blue winter haze
clouds 505 photo-05.jpg -size 1x256 gradient:'#4b5d73-#eef3f8'

# 06 — crimson / amber swirl
convert -size 400x225 -seed 606 plasma:fractal -colorspace gray -blur 0x10 -auto-level \
  -resize $S! -swirl 140 -blur 0x12 \
  \( -size 1x128 gradient:'#3b0a10-#d7263d' -size 1x128 gradient:'#d7263d-#f6ae2d' -append -rotate 90 \) \
  -clut $OUT photo-06.jpg

# 07 — ochre and olive soft waves
convert -size $S gradient:'#e0c36b-#4f5d2f' \
  \( -size $S xc:none -fill 'rgba(255,250,220,0.35)' -draw 'rectangle 0,250 1200,420' \
     -background none -wave 70x700 -resize $S! \) \
  -compose over -composite -blur 0x22 $OUT photo-07.jpg

# 08 — night city lights: dark navy with warm blurred dots
convert -size $S gradient:'#0f2027-#2c5364' \
  -fill 'rgba(255,190,90,0.55)' -draw 'circle 180,470 180,500' -draw 'circle 330,520 330,545' \
  -draw 'circle 610,450 610,485' -draw 'circle 760,540 760,560' -draw 'circle 950,480 950,515' \
  -fill 'rgba(120,200,255,0.45)' -draw 'circle 470,400 470,425' -draw 'circle 1080,420 1080,450' \
  -draw 'circle 880,360 880,380' -draw 'circle 250,350 250,372' \
  -blur 0x18 $OUT photo-08.jpg
