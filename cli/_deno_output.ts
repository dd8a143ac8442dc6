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
