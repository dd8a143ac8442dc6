/**
 * Finding headless Chromium for the end-to-end tests: the binary, or why the
 * browser tests cannot run here (they are then skipped, with the reason in
 * the test name).
 *
 * @module
 */

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
