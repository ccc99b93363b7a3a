// The viridis colour map (perceptually uniform, readable with the common colour-vision deficiencies
// and in greyscale): ten stops of matplotlib's table, linearly interpolated in sRGB.
const STOPS = [
  [0x44, 0x01, 0x54], [0x48, 0x28, 0x78], [0x3e, 0x4a, 0x89], [0x31, 0x68, 0x8e], [0x26, 0x82, 0x8e],
  [0x1f, 0x9e, 0x89], [0x35, 0xb7, 0x79], [0x6d, 0xcd, 0x59], [0xb4, 0xde, 0x2c], [0xfd, 0xe7, 0x25],
];

/** [r, g, b] (0–255 integers) for t in [0, 1]; t outside is clamped. */
export function viridis(t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f));
}

export function css([r, g, b]) {
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * A linear scale over the finite values given. A constant metric (min = max, e.g. every link up)
 * maps every value to the middle of the map.
 */
export function scaleOf(values) {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min === Infinity) {
    return { min: null, max: null, t: () => 0.5 };
  }
  const span = max - min;
  return { min, max, t: (v) => (span === 0 ? 0.5 : (v - min) / span) };
}
