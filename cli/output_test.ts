import { strict as assert } from "node:assert";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { printTrace } from "./_output.ts";

function printed(f: () => void): string[] {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
  try {
    f();
  } finally {
    console.log = log;
  }
  return lines.flatMap((l) => l.split("\n"));
}

const run = runScenario(
  parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "eager" } }],
    vmos: [{ name: "a", pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  }),
  { seed: 1 },
);

Deno.test("a text trace starts with the thread legend: which id is which thread", () => {
  const lines = printed(() => printTrace(run, "text"));
  assert.equal(lines[0], 'threads: t0 setup, t1 "fs.svc" (service), t2 "r" (workload)');
  assert.match(lines[1], /^vmos: vmo\d+ "a"$/);
  assert.match(lines[2], /^#0 t0 /);
});

Deno.test("a JSON trace is JSON lines: the threads first, then one object per event", () => {
  const lines = printed(() => printTrace(run, "json"));
  const docs = lines.map((l) => JSON.parse(l));
  assert.deepEqual(docs[0].threads, [
    { tid: 0, name: "setup", role: "setup" },
    { tid: 1, name: "fs.svc", role: "service" },
    { tid: 2, name: "r", role: "workload" },
  ]);
  assert.deepEqual(docs[0].vmos.map((v: { name: string }) => v.name), ["a"]);
  assert.equal(docs.length - 1, run.trace.entries.length);
  assert.ok(docs.slice(1).every((d) => typeof d.step === "number" && typeof d.text === "string"));
});

Deno.test("a JSON trace's supply events carry what the supply delivered (content), as the text does", () => {
  const docs = printed(() => printTrace(run, "json")).map((l) => JSON.parse(l));
  const supplies = docs.filter((d) => d.k === "supply");
  assert.ok(supplies.length > 0);
  for (const s of supplies) {
    // Page 0 of key 1: the word 1, then 2, ... (the backing pattern).
    assert.match(s.content, /^0100000000000000… fp [0-9a-f]{8}$/);
    assert.ok(s.text.endsWith(`supplied: ${s.content}`), s.text);
  }
});
