/** Minor units as text for the page (`30000`, 2 digits → `300.00`): exact, from the integer's digits. */
export function moneyText(minor: number, digits: number): string {
  const negative = minor < 0;
  const s = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, "0");
  const whole = digits > 0 ? s.slice(0, -digits) : s;
  const cents = digits > 0 ? `.${s.slice(-digits)}` : "";
  return `${negative ? "-" : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${cents}`;
}
