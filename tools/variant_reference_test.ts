/**
 * Tests of tools/variant_reference.ts: docs/kernel_variants.md is current, documents every method
 * a kernel variant may override with its signature, and each says when the kernel calls it, what
 * it must do and what the model asserts (userS27k listed `PageSource`'s methods at run time and
 * learned from `deno check` that its constructor's 4th argument `nextId` is a function).
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { PagerProxy, PageSource } from "../mod.ts";
import { staleness } from "./sys_reference.ts";
import {
  missingTags,
  readSeams,
  renderVariants,
  type SeamMember,
  VARIANT_OUTPUT,
} from "./variant_reference.ts";

// One compiler run for the file (about 1 CPU-s).
const { members, fields } = await readSeams();
const by = (seam: string, name: string): SeamMember | undefined =>
  members.find((m) => m.seam === seam && m.name === name);

Deno.test("docs/kernel_variants.md is what tools/variant_reference.ts writes (run `deno task sys-reference`)", () => {
  const path = new URL(`../${VARIANT_OUTPUT}`, import.meta.url).pathname;
  assert.deepEqual(staleness(path, renderVariants(members, fields), VARIANT_OUTPUT), null);
});

Deno.test("every method a variant may override says when it is called, what it must do and what is asserted", () => {
  assert.deepEqual(missingTags(members), []);
});

Deno.test("every public method of PageSource and PagerProxy, as a variant lists them at run time, is in the reference", () => {
  for (const [title, cls] of [["PageSource", PageSource], ["PagerProxy", PagerProxy]] as const) {
    const names = Object.getOwnPropertyNames(cls.prototype).filter((n) => n !== "constructor");
    assert.ok(names.length > 5, title);
    for (const n of names) assert.ok(by(title, n) !== undefined, `${title}.${n} is not documented`);
  }
});

Deno.test("the reference shows the signatures a variant needs: nextId is a function, the seams' parameters", () => {
  assert.equal(
    by("PageSource", "constructor")?.signature,
    "new PageSource(vmoKoid: number, provider: RequestProvider, sink: EventSink, nextId: () => number)",
  );
  assert.equal(
    by("Kernel", "createPageSource")?.signature,
    "createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource",
  );
  assert.equal(by("Kernel", "createPageSource")?.access, "protected ");
  assert.equal(
    by("PageSource", "onPagesFailed")?.signature,
    "onPagesFailed(start: number, end: number, error: Status): void",
  );
  assert.equal(by("VmoPages", "insertSupplied")?.signature.startsWith("*insertSupplied("), true);
  // COMPLETE's contract, which userS27k met only as an assertion (item 2 of ux28b).
  assert.match(by("PagerProxy", "complete")?.tags.calledWhen ?? "", /VmoPages\.detach/);
  assert.match(by("PagerProxy", "complete")?.tags.asserts ?? "", /^nothing/);
  assert.ok(fields.some((f) => f.seam === "PageSource" && /detached/.test(f.text)));
});

Deno.test("a missing tag is named by seam, member and tag", () => {
  const m = { ...members[0], tags: { calledWhen: "x", must: "", asserts: "y" } };
  assert.deepEqual(missingTags([m]), [`${m.seam}.${m.name}: @must`]);
});

Deno.test("the reference lists Waiter's and PageRequest's fields, and says PageRequest is a type-only export", async () => {
  // userS32b (trial32b) finding 7: a variant needs `pending`, `overlap`, `primary` and
  // `pendingSignal`, which the reference did not show; README listed PageRequest as an export,
  // and `new PageRequest` failed with TS1362 (mod.ts exports it as a type only).
  const text = (seam: string) => fields.filter((f) => f.seam === seam).map((f) => f.text);
  for (
    const f of ["`pendingSignal: Status | null`", "`waiting = false`", "`readonly tid: number`"]
  ) {
    assert.ok(text("Waiter").includes(f), f);
  }
  for (const f of ["`pending: number`", "`primary: Waiter | null`", "`overlap: Waiter[]`"]) {
    assert.ok(text("PageRequest").includes(f), f);
  }
  assert.ok(text("PageRequest").includes("`waiters(): Waiter[]`"));
  const md = renderVariants(members, fields);
  assert.match(md, /## `PageRequest`\n\n[^\n]*as a type only/);
  const mod = await Deno.readTextFile(new URL("../mod.ts", import.meta.url));
  assert.match(mod, /\n {2}type PageRequest,\n/);
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  assert.match(
    readme,
    /as types only\n\(`import \{ type PageRequest \}`: `new PageRequest` is TS1362/,
  );
});
