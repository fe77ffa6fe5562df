/**
 * What `impact` accepts and how --help explains it (registered in help.ts; the command is in
 * impact.ts). A plain constant, like jobs-help.ts: help.ts checks it as a `CommandSpec` where it
 * registers it.
 */

export const IMPACT_SPEC = {
  name: "impact",
  summary: "what a new policy version changes over the next days, account by account and in totals (actions added, removed, moved)",
  usage: "property-dunning impact --from <old.json> --to <new.json> --ledger <ledger> --as-of YYYY-MM-DD [--days 90] [--format table|json]",
  options: [
    { name: "from", value: "<old.json|residential|commercial|relative>", required: true, description: "the policy in force (a file or a built-in)" },
    { name: "to", value: "<new.json>", required: true, description: "the new version; its \"continues\" says what each older stage became" },
    { name: "ledger", value: "<ledger>", required: true, description: "a JSON file ({ \"accounts\": [...] }), a JSON Lines file (*.jsonl), sqlite:<path> or postgres://…" },
    { name: "as-of", value: "YYYY-MM-DD", required: true, description: "the first day compared: the day the new version would take effect; actions recorded before it count for both" },
    { name: "days", value: "N", description: "how many days to compare, --as-of included (default 90)" },
    { name: "format", value: "table|json", description: "a table for people (default) or JSON for programs" },
    { name: "help", short: "h", description: "print this help and exit" },
  ],
  examples: [
    {
      command: "property-dunning impact --from examples/green-garden.json --to examples/recipes/green-garden-2026.2.json --ledger examples/recipes/green-garden-ledger.json --as-of 2026-04-10",
      note: "what 2026.2 changes for the estate's owners over the next 90 days",
    },
    {
      command: "property-dunning impact --from examples/green-garden.json --to examples/recipes/green-garden-2026.2.json --ledger examples/recipes/green-garden-ledger.json --as-of 2026-04-10 --days 30 --format json",
      note: "the next 30 days, as JSON",
    },
  ],
  exitCodes: [
    [0, "done: the changes are listed (none is also an answer)"],
    [1, "a policy or the ledger file is not found or invalid (not JSON)"],
    [2, "usage error: a missing or malformed option, a file that cannot be read"],
    [3, "compared, but some accounts were skipped (each named on stderr with the reason: a recorded stage neither version names, say)"],
  ],
  notes: [
    "Both versions plan each account with the scheduler's own forecast, from --as-of, with the actions recorded before it; an instance of a renamed stage (the new version's \"continues\") is the same warning, so a rename alone changes nothing.",
    "Accounts of a segment the policies are not written for are left out (their number is said on stderr).",
  ],
} as const;
