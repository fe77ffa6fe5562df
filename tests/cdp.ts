/**
 * A small client of the Chrome DevTools Protocol over `--remote-debugging-pipe` (file
 * descriptors 3 and 4, messages ended by NUL): enough to open a page in headless Chromium, run
 * script in it, type, take screenshots and accept downloads, with no dependency. The protocol's
 * methods are documented at chromedevtools.github.io/devtools-protocol.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string };

export interface Page {
  /** Sends a method to the page's session. */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Evaluates an expression in the page (promises awaited); its value, JSON-cloned. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy; its value. */
  waitFor<T = unknown>(expression: string, timeoutMs?: number): Promise<T>;
  /** A PNG of the page, or of the part `selector` covers (scrolled into the picture). */
  screenshot(selector?: string): Promise<Buffer>;
}

export interface Browser {
  open(url: string, size: { width: number; height: number }): Promise<Page>;
  /** Sends a browser-level method. */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Events seen so far (method and params), for a test that waits for one. */
  events: { method: string; params: Record<string, unknown>; sessionId?: string }[];
  close(): Promise<void>;
}

export function launch(executable: string, userDataDir: string): Browser {
  const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-pipe", `--user-data-dir=${userDataDir}`, "about:blank"];
  const child: ChildProcess = spawn(executable, flags, { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const pending = new Map<number, Pending>();
  const events: Browser["events"] = [];
  let nextId = 1;
  let buffer = "";
  output.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let end: number;
    while ((end = buffer.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string };
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined) {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) p?.reject(new Error(`${p.method}: ${message.error.message}`));
        else p?.resolve(message.result);
      } else if (message.method) events.push({ method: message.method, params: message.params ?? {}, ...(message.sessionId ? { sessionId: message.sessionId } : {}) });
    }
  });
  child.on("exit", (code) => {
    for (const p of pending.values()) p.reject(new Error(`chromium exited (${code}) during ${p.method}\n${stderr}`));
    pending.clear();
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });

  return {
    events,
    send: (method, params) => send(method, params),
    async open(url, size) {
      const { targetId } = await send<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
      const { sessionId } = await send<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
      const page: Page = {
        send: (method, params) => send(method, params, sessionId),
        async evaluate<T>(expression: string) {
          const r = await send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true }, sessionId);
          if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
          return r.result.value as T;
        },
        async waitFor<T>(expression: string, timeoutMs = 30_000) {
          const until = Date.now() + timeoutMs;
          for (;;) {
            const value = await page.evaluate<T>(expression);
            if (value) return value;
            if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        },
        async screenshot(selector) {
          const clip = selector
            ? await page.evaluate<Record<string, number>>(
                `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height, scale: 1 }; })()`,
              )
            : undefined;
          const { data } = await send<{ data: string }>("Page.captureScreenshot", { format: "png", captureBeyondViewport: true, ...(clip ? { clip } : {}) }, sessionId);
          return Buffer.from(data, "base64");
        },
      };
      await page.send("Page.enable");
      await page.send("Runtime.enable");
      // Every request the page makes is an event: a test can prove that nothing left the machine.
      await page.send("Network.enable");
      await page.send("Emulation.setDeviceMetricsOverride", { ...size, deviceScaleFactor: 1, mobile: false });
      await page.send("Page.navigate", { url });
      await page.waitFor("document.readyState === 'complete'");
      return page;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      await send("Browser.close").catch(() => undefined);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
