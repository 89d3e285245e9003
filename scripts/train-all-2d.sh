#!/usr/bin/env bash
# Trains every shipped 2D model with the settings recorded in its card (about 7 minutes each on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
for id in two-moons eight-gaussians checkerboard swiss-roll spirals circles pinwheel heart; do
  npm run --silent train -- 2d --dataset "$id" --steps 6000 --batch 512 --lr 2e-3 --cosine --ema 0.995 --seed 1
done
