/**
 * A colour for every topic, however many there are: hues spread evenly round
 * the OKLCH circle (perceptually even, unlike HSL, where greens crowd
 * together), with neighbouring topics also stepping through three lightness
 * levels once hues alone get close. Lightness stays in a band that shows on
 * both the light and the dark page.
 */
const LIGHTNESS = [0.6, 0.72, 0.5];
/** Below this many topics, hue alone keeps them apart. */
const HUES_ALONE = 8;
const CHROMA = 0.16;
/** Start where the old palette's first colour sat (a blue), so small collections look as before. */
const HUE_START = 250;

/** OKLab → linear sRGB (Björn Ottosson's matrices), then the sRGB transfer curve. */
function oklchToRgb(l: number, c: number, hDeg: number): [number, number, number] {
  const h = (hDeg * Math.PI) / 180;
  const a = c * Math.cos(h);
  const b = c * Math.sin(h);
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const linear = [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ];
  return linear.map((x) => (x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055)) as [number, number, number];
}

const inGamut = (rgb: number[]) => rgb.every((x) => x >= -1e-4 && x <= 1 + 1e-4);
const hex = (rgb: number[]) => `#${rgb.map((x) => Math.round(Math.min(1, Math.max(0, x)) * 255).toString(16).padStart(2, '0')).join('')}`;

/** The colour of topic `i` of `n`, as #rrggbb; chroma is lowered until the colour exists in sRGB. */
export function topicColour(i: number, n: number): string {
  const count = Math.max(1, n);
  const hue = (HUE_START + (360 * i) / count) % 360;
  const lightness = count <= HUES_ALONE ? LIGHTNESS[0] : LIGHTNESS[i % LIGHTNESS.length];
  let chroma = CHROMA;
  let rgb = oklchToRgb(lightness, chroma, hue);
  while (!inGamut(rgb) && chroma > 0.01) rgb = oklchToRgb(lightness, (chroma -= 0.01), hue);
  return hex(rgb);
}

export function topicPalette(n: number): string[] {
  return Array.from({ length: n }, (_, i) => topicColour(i, n));
}
