/** What the page and the verify worker say to each other (structured-cloned plain data). */
import type { Issue } from "../index.js";
import type { PolicyReport } from "../testing/index.js";

export interface VerifyRequest {
  policyText: string;
  runs: number;
  seed: number;
}

export type VerifyReply =
  | { type: "invalid"; issues: Issue[] }
  | { type: "report"; seed: number; results: PolicyReport["results"] }
  | { type: "error"; message: string };
