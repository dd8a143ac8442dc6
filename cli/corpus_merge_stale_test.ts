// userS33a (session 33), finding 5: `corpus merge c_a c_b c_c --into corpus` added a stale case
// (its service module had changed since it was written) without a word, "0 invalid skipped";
// `corpus list` then said "1 stale". Merge copies it (a finding all the same) and names it.
// In process: `merge` prints as the command does.
import { strict as assert } from "node:assert";
import { merge } from "./corpus.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CASE =
  `${ROOT}case/testdata/userS22/corpus/invariant-answers-every-read-logstore-b389fae5.json`;

Deno.test("userS33a (5): corpus merge names each stale case it copies", async () => {
  // A project of its own (a deno.json): the case's ../logstore.ts, changed since it was written.
  const tmp = await Deno.makeTempDir({ prefix: "pagersim-s33a-merge-" });
  const cwd = Deno.cwd();
  const out: string[] = [];
  const { log } = console;
  try {
    await Deno.writeTextFile(`${tmp}/deno.json`, "{}\n");
    await Deno.mkdir(`${tmp}/src`);
    await Deno.copyFile(CASE, `${tmp}/src/a.json`);
    const service = await Deno.readTextFile(`${ROOT}case/testdata/userS22/logstore.ts`);
    await Deno.writeTextFile(
      `${tmp}/logstore.ts`,
      service.replaceAll('"../../../', `"${ROOT}`) + "\n// changed since the case\n",
    );
    Deno.chdir(tmp);
    console.log = (...a: unknown[]) => out.push(a.join(" "));
    assert.equal(await merge(["src"], "into"), 0);
  } finally {
    console.log = log;
    Deno.chdir(cwd);
    await Deno.remove(tmp, { recursive: true });
  }
  assert.equal(out.length, 2, out.join("\n"));
  assert.match(
    out[0],
    /^added into\/a\.json \(invariant:answers-every-read\), stale: its service module \.\.\/logstore\.ts changed since the case was written \(sha256 [0-9a-f]+…, recorded [0-9a-f]+…\): `deno task repro into\/a\.json` refuses to replay it against the changed code; --current-code replays it against the code as it is now, `deno task corpus accept into\/a\.json` re-records it$/,
  );
  assert.equal(
    out[1],
    "merge: 1 added (1 of them stale, named above), 0 of a finding already present, 0 left " +
      "for a smaller case of their finding, 0 invalid skipped",
  );
});
