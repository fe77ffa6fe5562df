/**
 * Opens the timeline page in headless Chromium (Debian's `chromium`, see scripts/install-chromium.sh)
 * and checks that it renders: a screenshot with real content, and the SVG in the DOM. Without
 * chromium the test is skipped locally, and fails when CI is set.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timelineCommand } from "../src/cli/timeline.js";
import { chromium, CHROMIUM, decodePng, HAVE_CHROMIUM, IN_CI } from "./chromium.js";

const reason = `${CHROMIUM} not found; run scripts/install-chromium.sh`;

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)(`timeline in headless Chromium${HAVE_CHROMIUM ? "" : ` (skipped: ${reason})`}`, () => {
  let dir = "";
  let html = "";

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${reason}`);
    dir = await mkdtemp(join(tmpdir(), "pd-timeline-"));
    const charges = Array.from({ length: 16 }, (_, i) => {
      const month = 6 + i;
      const y = 2025 + Math.floor((month - 1) / 12);
      const m = String(((month - 1) % 12) + 1).padStart(2, "0");
      return { id: `c-${y}-${m}`, period: `${y}-${m}`, dueOn: `${y}-${m}-01`, amountMinor: 32850 };
    });
    const account = {
      id: "B-0907",
      segment: "residential",
      owner: { name: "Wang <script>document.title='pwned'</script>" },
      charges,
      holds: [{ type: "promiseToPay", id: "p1", madeOn: "2026-12-03", promisedOn: "2026-12-31" }],
    };
    await writeFile(join(dir, "ledger.json"), JSON.stringify({ accounts: [account] }));
    html = join(dir, "timeline.html");
    const lines: string[] = [];
    const io = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) };
    const code = await timelineCommand({ ledger: join(dir, "ledger.json"), account: "B-0907", asOf: "2026-11-23", out: html }, io);
    expect(code, lines.join("")).toBe(0);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("renders a screenshot with the timeline's colours", async () => {
    const shot = join(dir, "shot.png");
    await chromium([`--screenshot=${shot}`, "--window-size=1400,900", `file://${html}`], join(dir, "profile-shot"));
    const size = (await stat(shot)).size;
    expect(size).toBeGreaterThan(10 * 1024);
    const png = await readFile(shot);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const { width, height, pixel } = decodePng(png);
    expect([width, height]).toEqual([1400, 900]);
    // A blank or error page is grey and white; the timeline has the final notice's red and the holds' amber.
    let red = 0;
    let amber = 0;
    for (let y = 0; y < height; y += 2)
      for (let x = 0; x < width; x += 2) {
        const [r, g, b] = pixel(x, y);
        if (r > 150 && g < 60 && b < 60) red++;
        if (r > 230 && g > 190 && g < 225 && b < 120) amber++;
      }
    expect(red, "red pixels (final notice markers)").toBeGreaterThan(20);
    expect(amber, "amber pixels (hold band)").toBeGreaterThan(20);
  });

  it("puts the SVG and the table into the DOM, with no script run", async () => {
    const { stdout } = await chromium(["--dump-dom", `file://${html}`], join(dir, "profile-dom"));
    expect(stdout).toMatch(/<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(stdout).toContain('data-stage="arrears_12m_lawyer_letter"');
    expect(stdout).toContain("<td>final_notice</td>");
    expect(stdout).not.toContain("pwned</title>");
    expect(stdout).not.toMatch(/<script/i);
  });
});
