/**
 * The studio's web worker: `verify` in the page. The library's root entry and its proof kit
 * (`property-dunning/testing`, with fast-check) bundled for the browser, run off the page's
 * thread so that the editor stays responsive while hundreds of accounts are generated.
 */
import { safeParsePolicy } from "../index.js";
import { checkPolicy } from "../testing/index.js";
import type { VerifyReply, VerifyRequest } from "./verify-protocol.js";

const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<VerifyRequest>) => void) | null; postMessage(reply: VerifyReply): void };

scope.onmessage = (event) => {
  const { policyText, runs, seed } = event.data;
  const parsed = safeParsePolicy(policyText);
  if (!parsed.ok) {
    scope.postMessage({ type: "invalid", issues: parsed.issues });
    return;
  }
  try {
    const report = checkPolicy(parsed.value, { runs, seed });
    scope.postMessage({ type: "report", seed: report.seed, results: report.results });
  } catch (error) {
    scope.postMessage({ type: "error", message: String((error as Error).stack ?? error) });
  }
};
