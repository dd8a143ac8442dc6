/**
 * Finding headless Chromium for the end-to-end tests: the binary, or why the
 * browser tests cannot run here (they are then skipped, with the reason in
 * the test name).
 *
 * @module
 */

import type { Browser, Page } from "npm:playwright-core@1.65.1";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

function granted(desc: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(desc).state === "granted";
}

/** The Chromium to drive, or (chromium null) the reason the browser test cannot run here. */
export function missing(): { reason: string; chromium: string | null } {
  // Playwright reads /proc (a WSL check), which Deno allows only under --allow-all.
  const names = ["read", "write", "net", "env", "sys", "run", "ffi"] as const;
  const lacking = names.filter((name) => !granted({ name }));
  if (lacking.length > 0) {
    return {
      reason: `needs --allow-all, lacks ${lacking.join(", ")} (run: deno test --allow-all e2e/)`,
      chromium: null,
    };
  }
  const override = Deno.env.get("PAGERSIM_CHROMIUM");
  for (const path of override ? [override] : CANDIDATES) {
    try {
      if (Deno.statSync(path).isFile) return { reason: "", chromium: path };
    } catch {
      // not installed there; try the next place
    }
  }
  return {
    reason: `no Chromium binary at ${
      override ?? CANDIDATES.join(", ")
    } (apt-get install -y chromium, or set PAGERSIM_CHROMIUM)`,
    chromium: null,
  };
}

/**
 * A browser test: run with the Chromium binary, or ignored with the reason in
 * its name (`TITLE [SKIPPED: reason]`) when there is none or permissions lack.
 */
export function browserTest(
  title: string,
  detail: string,
  fn: (browser: Browser) => Promise<void>,
): void {
  const why = missing();
  Deno.test({
    name: why.chromium === null ? `${title} [SKIPPED: ${why.reason}]` : `${title}: ${detail}`,
    ignore: why.chromium === null,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const { chromium } = await import("npm:playwright-core@1.65.1");
      const browser = await chromium.launch({
        executablePath: why.chromium ?? "",
        args: ["--no-sandbox", "--disable-gpu"],
      });
      try {
        await fn(browser);
      } finally {
        await browser.close();
      }
    },
  });
}

/** A page whose script errors, console errors and warnings, dialogs and requests are recorded. */
export async function watchedPage(
  browser: Browser,
): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console: ${m.text()}`);
  });
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("request", (r) => requests.push(r.url()));
  return { page, problems, requests };
}
