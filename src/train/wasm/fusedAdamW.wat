;; AdamW + EMA and the sum of squares over float32 arrays in the memory of TF.js's wasm backend (imported), with
;; 128-bit SIMD: four values per instruction. Source of scripts/build-wasm.ts, which assembles it with wabt (once
;; with a shared memory for TF.js's threaded build, once without) into src/train/wasm/fusedAdamWBinary.ts.
;; The arithmetic is that of src/train/fusedAdamW.ts `adamWEmaLoop`, in float32:
;;   g = scale g;  m' = b1 m + (1 - b1) g;  v' = b2 v + (1 - b2) g^2;
;;   w' = w - lr ((m' / c1) / (sqrt(v' / c2) + eps) + wd w);  e' = d e + (1 - d) w'   (e' only when ema != 0).
(module
  (import "env" "memory" (memory 1 65536 MEMORY_SHARED))

  ;; Pointers are byte offsets of float32 arrays of n values; the outputs may not overlap the inputs.
  (func (export "adamw")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $e i32)
    (param $wo i32) (param $mo i32) (param $vo i32) (param $eo i32) (param $n i32) (param $ema i32)
    (param $scale f32) (param $b1 f32) (param $b2 f32) (param $lr f32) (param $wd f32)
    (param $c1 f32) (param $c2 f32) (param $eps f32) (param $d f32)
    (local $i i32) (local $end4 i32) (local $off i32)
    (local $gv v128) (local $mv v128) (local $vv v128) (local $wv v128) (local $upd v128)
    (local $S v128) (local $B1 v128) (local $B1c v128) (local $B2 v128) (local $B2c v128) (local $LR v128)
    (local $WD v128) (local $C1 v128) (local $C2 v128) (local $EPS v128) (local $D v128) (local $Dc v128)
    (local $gs f32) (local $ms f32) (local $vs f32) (local $ws f32)
    (local.set $S (f32x4.splat (local.get $scale)))
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B1c (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $B2c (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))
    (local.set $LR (f32x4.splat (local.get $lr)))
    (local.set $WD (f32x4.splat (local.get $wd)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $D (f32x4.splat (local.get $d)))
    (local.set $Dc (f32x4.splat (f32.sub (f32.const 1) (local.get $d))))
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $i (i32.const 0))
    (block $done4
      (loop $loop4
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gv (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $off))) (local.get $S)))
        (local.set $mv (f32x4.add
          (f32x4.mul (local.get $B1) (v128.load (i32.add (local.get $m) (local.get $off))))
          (f32x4.mul (local.get $B1c) (local.get $gv))))
        (local.set $vv (f32x4.add
          (f32x4.mul (local.get $B2) (v128.load (i32.add (local.get $v) (local.get $off))))
          (f32x4.mul (f32x4.mul (local.get $B2c) (local.get $gv)) (local.get $gv))))
        (local.set $wv (v128.load (i32.add (local.get $w) (local.get $off))))
        (local.set $upd (f32x4.div
          (f32x4.div (local.get $mv) (local.get $C1))
          (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (local.get $C2))) (local.get $EPS))))
        (local.set $wv (f32x4.sub (local.get $wv)
          (f32x4.mul (local.get $LR) (f32x4.add (local.get $upd) (f32x4.mul (local.get $WD) (local.get $wv))))))
        (v128.store (i32.add (local.get $mo) (local.get $off)) (local.get $mv))
        (v128.store (i32.add (local.get $vo) (local.get $off)) (local.get $vv))
        (v128.store (i32.add (local.get $wo) (local.get $off)) (local.get $wv))
        (if (local.get $ema)
          (then
            (v128.store (i32.add (local.get $eo) (local.get $off))
              (f32x4.add
                (f32x4.mul (local.get $D) (v128.load (i32.add (local.get $e) (local.get $off))))
                (f32x4.mul (local.get $Dc) (local.get $wv))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $loop4)))
    ;; The last n mod 4 values, one at a time.
    (block $done1
      (loop $loop1
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.mul (f32.load (i32.add (local.get $g) (local.get $off))) (local.get $scale)))
        (local.set $ms (f32.add
          (f32.mul (local.get $b1) (f32.load (i32.add (local.get $m) (local.get $off))))
          (f32.mul (f32.sub (f32.const 1) (local.get $b1)) (local.get $gs))))
        (local.set $vs (f32.add
          (f32.mul (local.get $b2) (f32.load (i32.add (local.get $v) (local.get $off))))
          (f32.mul (f32.mul (f32.sub (f32.const 1) (local.get $b2)) (local.get $gs)) (local.get $gs))))
        (local.set $ws (f32.load (i32.add (local.get $w) (local.get $off))))
        (local.set $ws (f32.sub (local.get $ws)
          (f32.mul (local.get $lr) (f32.add
            (f32.div (f32.div (local.get $ms) (local.get $c1))
              (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $c2))) (local.get $eps)))
            (f32.mul (local.get $wd) (local.get $ws))))))
        (f32.store (i32.add (local.get $mo) (local.get $off)) (local.get $ms))
        (f32.store (i32.add (local.get $vo) (local.get $off)) (local.get $vs))
        (f32.store (i32.add (local.get $wo) (local.get $off)) (local.get $ws))
        (if (local.get $ema)
          (then
            (f32.store (i32.add (local.get $eo) (local.get $off))
              (f32.add
                (f32.mul (local.get $d) (f32.load (i32.add (local.get $e) (local.get $off))))
                (f32.mul (f32.sub (f32.const 1) (local.get $d)) (local.get $ws))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loop1))))

  ;; sum_i x_i^2 of n float32 values at byte offset $x, accumulated in float64 (two lanes of f64x2 per half).
  (func (export "sumsq") (param $x i32) (param $n i32) (result f64)
    (local $i i32) (local $end4 i32) (local $acc v128) (local $xv v128) (local $lo v128) (local $hi v128) (local $s f64)
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $acc (f64x2.splat (f64.const 0)))
    (block $done4
      (loop $loop4
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $end4)))
        (local.set $xv (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $xv)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $xv) (local.get $xv))))
        (local.set $acc (f64x2.add (local.get $acc)
          (f64x2.add (f64x2.mul (local.get $lo) (local.get $lo)) (f64x2.mul (local.get $hi) (local.get $hi)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $loop4)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
    (block $done1
      (loop $loop1
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (f64.add (local.get $s)
          (f64.mul
            (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
            (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loop1)))
    (local.get $s))
)
