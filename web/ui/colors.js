// Two diverging, colour-blind-safe scales, never mixed up:
//   activations (h, c, gates, parts of the sum): RdBu — red below zero, blue above;
//   sentiment (probabilities, effects on the verdict): PuOr — orange negative, purple positive.
import { scaleDiverging } from 'd3-scale';
import { interpolateRdBu, interpolatePuOr } from 'd3-scale-chromatic';

// d3's PuOr runs orange → purple as t goes 1 → 0; flip it so that t = 1 (positive) is purple.
const puOr = (t) => interpolatePuOr(1 - t);

/** Colour for an activation, symmetric around 0 with |v| = max at the ends. */
export function activationScale(max = 1) {
  return scaleDiverging([-max, 0, max], interpolateRdBu).clamp(true);
}

/** Colour for an effect on the logit (negative → orange, positive → purple). */
export function sentimentScale(max = 1) {
  return scaleDiverging([-max, 0, max], puOr).clamp(true);
}

/** Colour for a probability (0.5 is neutral). */
export const probabilityColor = scaleDiverging([0, 0.5, 1], puOr).clamp(true);

export const POSITIVE = puOr(0.85);
export const NEGATIVE = puOr(0.15);

/** A light tint of the probability colour, for large fills under dark text. */
export const probabilityTint = (p) => probabilityColor(0.5 + (p - 0.5) * 0.3);
export const ACCENT = '#1d4ed8';
export const INK = '#1f2430';
export const MUTED = '#6b7280';
export const LINE = '#c9ced8';

/**
 * Black or white, whichever reads better on `background` (an rgb(…) string as d3 gives, or #rrggbb): the higher
 * WCAG contrast of the two is never below 4.58, so coloured words always pass AA.
 */
export function textOn(background) {
  const m = /rgb\((\d+), ?(\d+), ?(\d+)\)/.exec(background) || /#(..)(..)(..)/.exec(background);
  if (!m) return '#000';
  const [r, g, b] = m.slice(1, 4).map((v) => (background.startsWith('#') ? parseInt(v, 16) : Number(v)));
  const lin = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  const L = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) ? '#000' : '#fff';
}
