/**
 * The versions invariant (check-versions.ts): it passes the scheduler on the built-ins, and fails
 * on a mutant of the scheduler's reading of older versions (continues.ts) that renames a recorded
 * action's stage but not the instances it covers: the log then does not know the warning was
 * given, and the next version sends it again.
 */
import { describe, expect, it, vi } from "vitest";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { checkPolicy } from "./invariants.js";
import { continuing, olderId, olderVersion } from "./check-versions.js";

const mode = vi.hoisted(() => ({ mutant: false }));
vi.mock("../schedule/ladder/continues.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../schedule/ladder/continues.js")>();
  return {
    ...real,
    continuation: (compiled: Parameters<typeof real.continuation>[0]) => {
      const read = real.continuation(compiled);
      return (account: Parameters<ReturnType<typeof real.continuation>>[0]) => {
        const r = read(account);
        if (!mode.mutant) return r;
        // The mutant: the stage in the new terms, the covered instances left in the old ones.
        return { ...r, account: { ...r.account, actions: r.account.actions.map((a, i) => ({ ...a, covers: account.actions[i]!.covers })) } };
      };
    },
  };
});

const residential = parsePolicy(builtinPolicySource("residential"));

describe("the versions invariant", () => {
  it("holds for the scheduler on the residential built-in", () => {
    mode.mutant = false;
    const r = checkPolicy(residential, { only: ["versions"], runs: 60, seed: 18 });
    expect(r.results[0]).toMatchObject({ name: "versions", ok: true });
  });

  it("fails on the mutant that leaves the covered instances in the older version's ids: a warning repeated", () => {
    mode.mutant = true;
    try {
      const r = checkPolicy(residential, { only: ["versions"], runs: 60, seed: 18 });
      expect(r.ok).toBe(false);
      expect(JSON.stringify(r.results[0])).toMatch(/repeated across the change/);
    } finally {
      mode.mutant = false;
    }
  });

  it("builds the older version by renaming every stage and its predecessor references, and the new one continuing it", () => {
    const relative = parsePolicy(builtinPolicySource("relative"));
    const older = olderVersion(relative);
    expect(older.stages.map((s) => s.id)).toEqual(relative.stages.map((s) => olderId(s.id)));
    for (const s of older.stages) if ("stage" in s.trigger) expect(older.stages.map((x) => x.id)).toContain(s.trigger.stage);
    const next = continuing(relative, older);
    expect(Object.values(next.continues!.stages)).toEqual(relative.stages.map((s) => s.id));
    // Both compile: the older one plans on its own ids.
    expect(() => createScheduler(older)).not.toThrow();
    expect(() => createScheduler(next)).not.toThrow();
  });
});
