/**
 * Money as text, one way for every output (CLI tables, reports, notices, the timeline, the test
 * kit's timelines): minor units to a decimal by integer arithmetic only, never through floating
 * point, with the currency's own number of minor digits.
 */

/**
 * `minor` units as a decimal with `digits` places: `3036000, 2` → `"30,360.00"`; without
 * grouping (CSV, the test kit) → `"30360.00"`.
 */
export function formatMinor(minor: number, digits = 2, grouping = true): string {
  const sign = minor < 0 ? "-" : "";
  let whole = Math.abs(Math.trunc(minor));
  let scale = 1;
  for (let i = 0; i < digits; i++) scale *= 10;
  const frac = whole % scale;
  whole = (whole - frac) / scale;
  const wholeText = grouping ? String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",") : String(whole);
  return `${sign}${wholeText}${digits > 0 ? `.${String(frac).padStart(digits, "0")}` : ""}`;
}
