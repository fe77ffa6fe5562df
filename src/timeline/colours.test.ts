/**
 * The timeline tells stage kinds apart by colour alone (marker fill, label, the page's legend), so
 * any two kinds' colours must differ clearly. The measure is CIEDE2000 (ΔE00) in CIELAB (D65): about
 * 1 is the smallest difference a trained eye sees side by side, 2–10 is "perceptible at a glance"
 * and above 10 reads as two different colours. The threshold here is 10 for every pair of kinds;
 * lawyer's letter and legal review, which sit in one lane family and came out nearly one violet
 * (ΔE00 5.3), are now 14.8 apart.
 */
import { describe, expect, it } from "vitest";
import { STAGE_KINDS } from "../rules/kinds.js";
import { KIND_COLORS } from "./text.js";

const THRESHOLD = 10;

type Lab = [number, number, number];

/** sRGB hex → CIELAB (D65 white, 2° observer). */
function lab(hex: string): Lab {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIEDE2000 colour difference (Sharma, Wu, Dalal 2005). */
function deltaE2000([l1, a1, b1]: Lab, [l2, a2, b2]: Lab): number {
  const rad = Math.PI / 180;
  const c1 = Math.hypot(a1, b1);
  const c2 = Math.hypot(a2, b2);
  const cBar7 = ((c1 + c2) / 2) ** 7;
  const g = 0.5 * (1 - Math.sqrt(cBar7 / (cBar7 + 25 ** 7)));
  const a1p = (1 + g) * a1;
  const a2p = (1 + g) * a2;
  const c1p = Math.hypot(a1p, b1);
  const c2p = Math.hypot(a2p, b2);
  const hue = (b: number, a: number) => (a === 0 && b === 0 ? 0 : ((Math.atan2(b, a) / rad) % 360) + (Math.atan2(b, a) < 0 ? 360 : 0));
  const h1p = hue(b1, a1p);
  const h2p = hue(b2, a2p);
  const dL = l2 - l1;
  const dC = c2p - c1p;
  let dh = 0;
  if (c1p * c2p !== 0) {
    dh = h2p - h1p;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(c1p * c2p) * Math.sin((dh / 2) * rad);
  const lBar = (l1 + l2) / 2;
  const cBarP = (c1p + c2p) / 2;
  let hBar = h1p + h2p;
  if (c1p * c2p !== 0) hBar = Math.abs(h1p - h2p) <= 180 ? hBar / 2 : hBar < 360 ? (hBar + 360) / 2 : (hBar - 360) / 2;
  const t = 1 - 0.17 * Math.cos((hBar - 30) * rad) + 0.24 * Math.cos(2 * hBar * rad) + 0.32 * Math.cos((3 * hBar + 6) * rad) - 0.2 * Math.cos((4 * hBar - 63) * rad);
  const dTheta = 30 * Math.exp(-(((hBar - 275) / 25) ** 2));
  const rc = 2 * Math.sqrt(cBarP ** 7 / (cBarP ** 7 + 25 ** 7));
  const sl = 1 + (0.015 * (lBar - 50) ** 2) / Math.sqrt(20 + (lBar - 50) ** 2);
  const sc = 1 + 0.045 * cBarP;
  const sh = 1 + 0.015 * cBarP * t;
  const rt = -Math.sin(2 * dTheta * rad) * rc;
  return Math.sqrt((dL / sl) ** 2 + (dC / sc) ** 2 + (dH / sh) ** 2 + rt * (dC / sc) * (dH / sh));
}

describe("the stage kinds' colours", () => {
  it("the ΔE00 formula reproduces Sharma et al.'s published test pairs", () => {
    // Table 1 of Sharma, Wu, Dalal, "The CIEDE2000 color-difference formula" (2005): pairs 1, 7, 17 and 25.
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000([50, 0, 0], [50, -1, 2])).toBeCloseTo(2.3669, 4);
    expect(deltaE2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    expect(deltaE2000([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387])).toBeCloseTo(1.2644, 4);
  });

  it(`every two kinds differ by ΔE00 ≥ ${THRESHOLD}`, () => {
    const close: string[] = [];
    for (const [i, a] of STAGE_KINDS.entries())
      for (const b of STAGE_KINDS.slice(i + 1)) {
        const d = deltaE2000(lab(KIND_COLORS[a]), lab(KIND_COLORS[b]));
        if (d < THRESHOLD) close.push(`${a} ${KIND_COLORS[a]} / ${b} ${KIND_COLORS[b]}: ${d.toFixed(1)}`);
      }
    expect(close).toEqual([]);
  });

  it("lawyer's letter and legal review, drawn in neighbouring lanes of the same ladder's end, are told apart", () => {
    expect(deltaE2000(lab(KIND_COLORS.lawyerLetter), lab(KIND_COLORS.legalReview))).toBeGreaterThanOrEqual(THRESHOLD);
  });
});
