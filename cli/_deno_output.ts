/**
 * Test support: runs the `deno` executing this process with `args` (in `cwd`, with `env` added to
 * the environment) and returns its exit code and decoded output, for the CLI tests that check what
 * a command prints (each had its own copy).
 *
 * @example
 * ```ts
 * import { denoOutput } from "./_deno_output.ts";
 * const r = await denoOutput(["--version"]);
 * if (r.code !== 0 || !r.out.startsWith("deno ")) throw new Error(r.err);
 * ```
 */
export async function denoOutput(
  args: string[],
  cwd?: string,
  /** Variables set for the child, beside this process's environment. */
  env?: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  const o = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: o.code, out: text.decode(o.stdout), err: text.decode(o.stderr) };
}

/**
 * Test support: runs `line` in `sh -c` in `cwd`, as a user pasting a printed command would, and
 * returns its exit code and its stdout and stderr together (the replay-line tests each had a copy).
 *
 * @example
 * ```ts
 * import { shellOutput } from "./_deno_output.ts";
 * const r = await shellOutput("echo pasted; exit 3", ".");
 * if (r.code !== 3 || r.out !== "pasted\n") throw new Error(r.out);
 * ```
 */
export async function shellOutput(
  line: string,
  cwd: string,
): Promise<{ code: number; out: string }> {
  const o = await new Deno.Command("sh", {
    args: ["-c", line],
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder();
  return { code: o.code, out: text.decode(o.stdout) + text.decode(o.stderr) };
}
