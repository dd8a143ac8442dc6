// The program contract's argument checks: the mutants of kernel/kernel_vmar.ts, kernel/kernel.ts
// and kernel/vmo_pages.ts they kill, each switched on in an instrumented mirror of the project
// (mutate/mutant_mirror.ts) and judged on the programs of the mutate judge (mutate/judges.ts
// `judgeProgram`). Every program passes unmutated; with the mutant on, the kernel returns another
// status the call's table allows, and only the contract's prediction tells. Each of these survived
// every checker before the predictions (`deno task mutate --files FILE --only`, docs/mutation.md:
// kernel_vmar.ts 189 -> 223 of 542, kernel.ts 337 -> 381 of 849).
import { strict as assert } from "node:assert";
import { type MutantMirror, mutantMirror } from "../mutate/mutant_mirror.ts";
import { NIGHTLY } from "../tools/nightly.ts";
import { mirrorProgramVerdict } from "./testdata/program_verdict.ts";
import KILLERS from "./contract_killers.json" with { type: "json" };

// deno-lint-ignore no-explicit-any
type Any = any;

/** The files whose mutants this file judges: all in one mirror, loaded and judged once. */
const FILES = [
  "kernel/kernel_vmar.ts",
  "kernel/objects.ts",
  "kernel/kernel.ts",
  "kernel/vmo_pages.ts",
  "kernel/syscalls.ts",
  "kernel/kernel_objects.ts",
  "kernel/signals.ts",
];

/**
 * The mirror, the judge's programs that pass unmutated and a program's verdict with a mutant on
 * (none: unmutated).
 */
interface Judged {
  readonly m: MutantMirror;
  readonly programs: readonly number[];
  readonly verdict: (k: number, key?: string) => Any;
}

let shared: Promise<MutantMirror> | undefined;
let judged: Promise<Judged> | undefined;

/** The one mirror of {@linkcode FILES} for every test of the file, removed when it unloads. */
function mirror(): Promise<MutantMirror> {
  shared ??= mutantMirror(FILES).then((m) => {
    globalThis.addEventListener("unload", () => m.dispose());
    return m;
  });
  return shared;
}

/** The mirror and program `k`'s verdict from it (program/testdata/program_verdict.ts). */
async function programVerdict(): Promise<{ m: MutantMirror; verdict: Judged["verdict"] }> {
  const m = await mirror();
  return { m, verdict: await mirrorProgramVerdict(m) };
}

/**
 * The judge's 1000 programs, drawn from the one mirror and run unmutated once for every test of
 * the file (each test re-mirrored and re-ran them: most of the file's time); every program must
 * pass unmutated, or every test that judges them fails with that.
 */
function judgedPrograms(): Promise<Judged> {
  judged ??= (async () => {
    const { m, verdict } = await programVerdict();
    // The judge's 300 and 700 more drawn the same way: a change of the call weights re-draws them.
    const all = Array.from({ length: 1000 }, (_, k) => k);
    const programs = all.filter((k) => verdict(k).kind === "pass");
    assert.equal(programs.length, all.length, "every program passes unmutated");
    return { m, programs, verdict };
  })();
  return judged;
}

/**
 * For each case: some program drawn as the judge draws its programs passes unmutated and fails
 * the contract with `key` on (the first such program is named in the step's failure; searching
 * keeps the test about the contract, not about which programs the judge's weights draw).
 *
 * `deno task test` first tries the program contract_killers.json pins for `key` (the first killer
 * the full search found): it must pass unmutated and fail with the mutant on, so the step still
 * fails on its mutant, for a few programs' cost. A case with no pin, or a pin that no longer kills
 * (the judge's draws changed), falls back to the full search over the 1000 programs, all of which
 * must pass unmutated, and then fails naming the pin to write, so the search does not silently
 * become CI's cost. `deno task nightly` always runs the full search and prints each case's
 * first killer as a `pin:` line, for contract_killers.json.
 */
async function killsOnPrograms(
  t: Deno.TestContext,
  cases: readonly [key: string, what: string, invariant?: string][],
): Promise<void> {
  const pins: Readonly<Record<string, number>> = KILLERS;
  for (const [key, what, invariant = "program-contract"] of cases) {
    await t.step(what, async () => {
      const fails = (v: Any) =>
        v.kind === "invariant" ? v.invariant === invariant : v.kind === invariant;
      const pin = pins[key];
      if (!NIGHTLY && pin !== undefined) {
        const { verdict } = await programVerdict();
        assert.equal(verdict(pin).kind, "pass", `program ${pin} passes unmutated`);
        if (fails(verdict(pin, key))) return;
        console.log(`the pinned program ${pin} no longer kills ${key}: searching`);
      }
      const { programs, verdict } = await judgedPrograms();
      const killer = programs.find((k) => fails(verdict(k, key)));
      assert.ok(killer !== undefined, `no program of the judge fails ${invariant} with ${key}`);
      if (killer !== pin) console.log(`pin: ${JSON.stringify([key, killer])}`);
      // A stale or missing pin still kills, but the search behind it is most of this file's time
      // (142 s against 6 s in CI once five pins went stale): deno task test asks for the pin.
      assert.ok(
        NIGHTLY,
        `${key} has ${pin === undefined ? "no pin" : `a stale pin (${pin})`}: ` +
          `set "${key}": ${killer} in program/contract_killers.json`,
      );
    });
  }
}

const VMAR_CASES: [key: string, what: string][] = [
  [
    "kernel/kernel_vmar.ts:100:97:BlockStatement:{}",
    "zx_vmar_map: unknown options or no PERM_READ are not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:104:9:ConditionalExpression:false",
    "zx_vmar_map: a vmar_offset without SPECIFIC is not NOT_SUPPORTED",
  ],
  [
    "kernel/kernel_vmar.ts:105:92:BlockStatement:{}",
    "zx_vmar_map: an unaligned offset or an empty length is not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:155:9:LogicalOperator:!this.aligned(addr) && !isU64(len)",
    "zx_vmar_unmap: only an unaligned address that is also no length is INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:273:9:ConditionalExpression:false",
    "zx_vmar_protect: WRITE without READ is not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:328:9:EqualityOperator:(e.rights & need) === need",
    "zx_vmar_op_range: the rights check inverted",
  ],
  [
    "kernel/kernel_vmar.ts:329:9:ConditionalExpression:false",
    "zx_vmar_op_range: an unaligned address is not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:112:9:ConditionalExpression:true",
    "zx_vmar_map: every mapping BAD_STATE (as if the root were destroyed)",
  ],
  [
    "kernel/kernel_vmar.ts:116:69:BooleanLiteral:r.rights & ZX_RIGHT_READ",
    "zx_vmar_map: the VMAR handle's READ right read inverted (a root mapping refused)",
  ],
  [
    "kernel/kernel_vmar.ts:199:25:EqualityOperator:size !== 0",
    "zx_vmar_allocate: the size check inverted (a region in the root refused)",
  ],
  [
    "kernel/kernel_vmar.ts:212:7:ConditionalExpression:true",
    "zx_vmar_allocate: every region ACCESS_DENIED (the root grants every CAN_MAP flag)",
  ],
  [
    "kernel/kernel_vmar.ts:213:22:BooleanLiteral:region.flags.read",
    "zx_vmar_allocate: CAN_MAP_READ refused where the root grants it",
  ],
  [
    "kernel/kernel_vmar.ts:415:32:BooleanLiteral:v.rights & ZX_RIGHT_READ",
    "zx_bti_pin: PERM_READ without the READ right accepted",
  ],
  [
    "kernel/kernel_vmar.ts:426:39:EqualityOperator:rest === 0",
    "zx_bti_pin: the option bits check inverted",
  ],
  ["kernel/kernel_vmar.ts:427:9:EqualityOperator:size !== 0", "zx_bti_pin: an empty range pinned"],
  // The program's picture of its address space (program/vmar_model.ts).
  [
    "kernel/kernel_vmar.ts:280:9:ConditionalExpression:false",
    "zx_vmar_protect: a range past the region's end not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:283:38:ArrowFunction:() => undefined",
    "zx_vmar_protect: no mapping found (NOT_FOUND over mapped pages)",
  ],
  [
    "kernel/kernel_vmar.ts:283:45:EqualityOperator:at > x.addr",
    "zx_vmar_protect: a mapping's first page not its own",
  ],
  [
    "kernel/kernel_vmar.ts:283:61:EqualityOperator:at >= x.addr + x.len",
    "zx_vmar_protect: a mapping's pages not its own",
  ],
  [
    "kernel/kernel_vmar.ts:324:19:BooleanLiteral:read",
    "zx_vmar_op_range: MAP_RANGE and PREFETCH INVALID_ARGS (a huge range is OUT_OF_RANGE)",
  ],
  // Sub-regions laid out by hand (program/generate.ts `regionLayout`, the judge's
  // `programRegionLayouts`) and judged by the picture of the address space.
  [
    "kernel/kernel_vmar.ts:128:23:EqualityOperator:(options & ZX_VM_SPECIFIC_OVERWRITE) === 0",
    "zx_vmar_map: SPECIFIC overwrites and SPECIFIC_OVERWRITE does not",
  ],
  [
    "kernel/kernel_vmar.ts:278:9:ConditionalExpression:false",
    "zx_vmar_protect: a destroyed region not BAD_STATE",
  ],
  [
    "kernel/kernel_vmar.ts:280:32:ArithmeticOperator:end + addr",
    "zx_vmar_protect: a sub-region's mapped range taken as past its end",
  ],
  [
    "kernel/kernel_vmar.ts:328:9:ConditionalExpression:false",
    "zx_vmar_op_range: COMMIT through a region handle without WRITE",
  ],
  // Pins laid out by hand (program/generate.ts `pinLayout`, the judge's `programPinLayouts`) of
  // VMOs no pager backs, whose pins the contract predicts ZX_OK.
  [
    "kernel/kernel_vmar.ts:415:7:ConditionalExpression:false @end+1:62",
    "zx_bti_pin: PERM_READ/PERM_WRITE through a handle without the right pinned",
  ],
  [
    "kernel/kernel_vmar.ts:422:9:BooleanLiteral:rest & ZX_BTI_COMPRESS && rest & ZX_BTI_CONTIGUOUS",
    "zx_bti_pin: COMPRESS alone, and CONTIGUOUS on a contiguous VMO, INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:424:11:ConditionalExpression:true",
    "zx_bti_pin: CONTIGUOUS on a VMO not made contiguous pinned",
  ],
  // Sample 9c15424 (seed 12): a SPECIFIC mapping into a region made without CAN_MAP_SPECIFIC
  // (`regionLayout`), and zx_bti_create predicted ZX_OK.
  [
    "kernel/kernel_vmar.ts:116:8:ConditionalExpression:false",
    "zx_vmar_map: SPECIFIC in a region without CAN_MAP_SPECIFIC mapped",
  ],
  [
    "kernel/kernel_vmar.ts:388:26:BooleanLiteral:isU64(btiId)",
    "zx_bti_create: every BTI INVALID_ARGS",
  ],
  // The region layout's `grantEdges` tail (fresh shard 3 of b573f09, gapM21).
  [
    "kernel/kernel_vmar.ts:212:7:LogicalOperator:specific && !region.flags.specific && flags.specific && !region.flags.specific",
    "zx_vmar_allocate: SPECIFIC in a parent without CAN_MAP_SPECIFIC made",
  ],
  [
    "kernel/kernel_vmar.ts:288:12:ConditionalExpression:false",
    "zx_vmar_protect: PERM_WRITE granted on a mapping of a VMO handle without WRITE",
  ],
];

Deno.test({
  name:
    "the program contract's VMAR argument checks kill the kernel_vmar.ts mutants that return another allowed status",
  // Nightly (deno task nightly): about a minute of mutant mirrors; the other contract mutant tests stay in CI.
  ignore: !NIGHTLY,
}, async (t) => {
  await killsOnPrograms(t, VMAR_CASES);
});

const OBJECTS_CASES: [key: string, what: string, invariant?: string][] = [
  [
    "kernel/objects.ts:747:9:ConditionalExpression:false",
    "zx_vmar_allocate: a SPECIFIC region past its parent's end placed",
  ],
  [
    "kernel/objects.ts:749:7:LogicalOperator:specific || this.regions.some(r => r.base < at + size && at < r.base + r.size) || this.mappings.some(m => m.addr < at + size && at < m.addr + m.len)",
    "zx_vmar_allocate: every SPECIFIC region ALREADY_EXISTS (in an empty root too)",
  ],
  [
    "kernel/objects.ts:666:74:EqualityOperator:m.addr >= best.addr",
    "zx_vmar_op_range: a region's mappings walked from the highest (adjacent ones BAD_STATE)",
  ],
  [
    "kernel/objects.ts:720:65:EqualityOperator:at <= m.addr + m.len",
    "zx_vmar_map: a SPECIFIC mapping right after another ALREADY_EXISTS",
  ],
  [
    "kernel/objects.ts:721:29:BooleanLiteral:overwrite",
    "zx_vmar_map: SPECIFIC_OVERWRITE over a mapping ALREADY_EXISTS",
  ],
  // Where a placement lands (`placedWhere`) and the layout's end (generate.ts `#placements`).
  [
    "kernel/objects.ts:692:9:ConditionalExpression:false",
    "zx_vmar_map: a placement the kernel chooses lands on a SPECIFIC one (nextAddr not moved past it)",
  ],
  [
    "kernel/objects.ts:749:45:EqualityOperator:r.base <= at + size",
    "zx_vmar_allocate: a SPECIFIC region ending where another begins ALREADY_EXISTS",
  ],
  [
    "kernel/objects.ts:673:11:LogicalOperator:m !== undefined || best === undefined || m.addr < best.addr",
    "zx_vmar_op_range: a walk past a direct mapping into an empty sub-region (the kernel throws)",
    "thread-fault",
  ],
  // What ZX_INFO_VMO reports (`infoAgrees`), on the pin layout's contiguous VMOs.
  [
    "kernel/objects.ts:479:11:ConditionalExpression:false",
    "zx_object_get_info: a contiguous VMO, never decommitted, reports no committed bytes",
  ],
];

Deno.test({
  name:
    "the program contract's picture of its address space kills the objects.ts placement mutants",
  // Nightly (deno task nightly): mutant mirrors, ~10-40 s under CI's parallel load; CI's mutation sample judges the same code.
  ignore: !NIGHTLY,
}, async (t) => {
  await killsOnPrograms(t, OBJECTS_CASES);
});

const KERNEL_CASES: [key: string, what: string][] = [
  [
    "kernel/kernel.ts:732:9:EqualityOperator:offset + data.length <= v.object.size",
    "zx_vmo_write: the range check inverted (a VMO of fixed size)",
  ],
  ["kernel/kernel.ts:762:80:BlockStatement:{}", "zx_vmo_op_range: a range past the end accepted"],
  [
    "kernel/kernel.ts:155:9:EqualityOperator:options === 0",
    "zx_pager_create: options other than 0 accepted",
  ],
  [
    "kernel/kernel.ts:172:99:BlockStatement:{}",
    "zx_pager_create_vmo: unknown options accepted",
  ],
  [
    "kernel/kernel.ts:293:31:EqualityOperator:bufferSize >= ZX_PAGER_VMO_STATS_SIZE",
    "zx_pager_query_vmo_stats: the buffer size check inverted",
  ],
  [
    "kernel/kernel.ts:363:9:EqualityOperator:options === 0",
    "zx_port_cancel_key: the options check inverted",
  ],
  [
    "kernel/kernel.ts:374:9:EqualityOperator:options === 0",
    "zx_event_create: the options check inverted",
  ],
  [
    "kernel/kernel.ts:396:41:EqualityOperator:((clear | set) & ~allowed) === 0",
    "zx_object_signal: the mask check inverted",
  ],
  ["kernel/kernel.ts:650:99:BlockStatement:{}", "zx_vmo_create: unknown options accepted"],
  [
    "kernel/kernel.ts:758:9:ConditionalExpression:false",
    "zx_vmo_op_range: an unknown op accepted",
  ],
  [
    "kernel/kernel.ts:732:9:ConditionalExpression:true",
    "zx_vmo_write: every write OUT_OF_RANGE (an empty write within the VMO too)",
  ],
  [
    "kernel/kernel.ts:246:30:EqualityOperator:offset <= v.object.size",
    "zx_pager_supply_pages: an empty supply within the VMO OUT_OF_RANGE",
  ],
  [
    "kernel/kernel.ts:784:9:ConditionalExpression:true",
    "zx_vmo_set_size: every resize INVALID_ARGS",
  ],
  [
    "kernel/kernel.ts:838:9:ConditionalExpression:true",
    "zx_task_suspend: every thread BAD_STATE (a live one too)",
  ],
  // zx_object_wait_async, drawn by the judge's programs only (weight 0 in the table).
  [
    "kernel/kernel.ts:452:9:ConditionalExpression:true",
    "zx_object_wait_async: a valid port's lookup status returned, no wait made",
  ],
  [
    "kernel/kernel.ts:454:9:ConditionalExpression:true",
    "zx_object_wait_async: every handle BAD_HANDLE",
  ],
  [
    "kernel/kernel.ts:455:9:BooleanLiteral:e.rights & ZX_RIGHT_WAIT",
    "zx_object_wait_async: the WAIT right check inverted",
  ],
  [
    "kernel/kernel.ts:456:9:EqualityOperator:signalsOf(e.object) !== null",
    "zx_object_wait_async: waitable objects NOT_SUPPORTED",
  ],
  // Sample 9c15424 (seed 12): alignments just outside the range (`pinLayout`), and a size past
  // upstream's largest VMO (OUT_OF_RANGE, not the page limit's NO_MEMORY).
  [
    "kernel/kernel.ts:680:30:EqualityOperator:align > 64",
    "zx_vmo_create_contiguous: alignment_log2 64 accepted",
  ],
  [
    "kernel/kernel.ts:887:9:ConditionalExpression:false @end+0:59",
    "zx_vmo_create: a size past upstream's largest VMO NO_MEMORY, not OUT_OF_RANGE",
  ],
  // ZX_INFO_VMO copied out to a read-only mapping (`regionLayout`).
  [
    "kernel/kernel.ts:637:81:BooleanLiteral:false",
    "zx_object_get_info: the record read from the user buffer instead of copied out to it",
  ],
  // A wait_one that parks (`signalLayout`), judged by its outcome (`wait_outcome.ts`).
  [
    "kernel/kernel.ts:421:26:EqualityOperator:this.handles.entry(handle)?.object === object",
    "zx_object_wait_one: a parked wait ends CANCELED with its handle open",
  ],
  [
    "kernel/kernel.ts:424:23:EqualityOperator:(active() & want) === 0",
    "zx_object_wait_one: a parked wait wakes at once and says TIMED_OUT before its deadline",
  ],
  [
    "kernel/kernel.ts:413:9:ConditionalExpression:false",
    "zx_object_wait_one: a handle without ZX_RIGHT_WAIT waited on",
  ],
  [
    "kernel/kernel.ts:396:9:ConditionalExpression:false @end+0:73",
    "zx_object_signal: a set_mask that is no uint32 accepted",
  ],
  [
    "kernel/kernel.ts:715:30:ArrayDeclaration:[]",
    "zx_vmo_read: an empty read returns no status",
  ],
  [
    "kernel/kernel.ts:589:5:CallExpression:;",
    "zx_handle_close: an async wait made through the closed handle still queues its packet",
  ],
];

Deno.test({
  name:
    "the program contract's VMO, pager, port, event and signal argument checks kill the kernel.ts mutants that return another allowed status",
  // Nightly (deno task nightly): mutant mirrors, ~10-40 s under CI's parallel load; CI's mutation sample judges the same code.
  ignore: !NIGHTLY,
}, async (t) => {
  await killsOnPrograms(t, KERNEL_CASES);
});

const PAGES_CASES: [key: string, what: string, invariant?: string][] = [
  [
    "kernel/vmo_pages.ts:1023:85:BlockStatement:{}",
    "zx_pager_op_range: WRITEBACK data other than 0 or IS_ZERO accepted",
  ],
  [
    "kernel/vmo_pages.ts:1023:73:EqualityOperator:data === 0",
    "zx_pager_op_range: WRITEBACK_END's data check inverted",
  ],
  [
    "kernel/vmo_pages.ts:1021:39:BlockStatement:{}",
    "zx_pager_op_range: WRITEBACK_BEGIN and _END do nothing and return nothing",
  ],
  [
    "kernel/vmo_pages.ts:1369:9:ConditionalExpression:true",
    "zx_vmo_create_child: every child of a pager VMO NOT_SUPPORTED (a valid clone refused)",
  ],
  [
    "kernel/vmo_pages.ts:1369:9:EqualityOperator:type !== ZX_VMO_CHILD_SNAPSHOT",
    "zx_vmo_create_child: SNAPSHOT of a pager VMO made, the other types refused",
  ],
  [
    "kernel/vmo_pages.ts:1377:20:EqualityOperator:offset + rounded <= parent.size",
    "zx_vmo_create_child: a slice's range check inverted",
  ],
  [
    "kernel/vmo_pages.ts:1378:21:EqualityOperator:offset === 0",
    "zx_vmo_create_child: a reference's offset check inverted",
  ],
  [
    "kernel/vmo_pages.ts:1370:23:EqualityOperator:(options & ZX_VMO_CHILD_RESIZABLE) === 0",
    "zx_vmo_create_child: RESIZABLE read inverted (a resizable slice made, a plain one refused)",
  ],
  [
    "kernel/vmo_pages.ts:467:13:ConditionalExpression:false",
    "zx_vmo_read: a user buffer no mapping holds not INVALID_ARGS (the copy skipped)",
  ],
  [
    "kernel/vmo_pages.ts:1388:9:EqualityOperator:base === parent",
    "zx_vmo_create_child: an at-least-on-write clone of a clone NOT_SUPPORTED",
  ],
  // zx_pager_op_range's range of a fixed-size pager VMO (spec 2.5.1, 2.5.3, 2.5.4).
  [
    "kernel/vmo_pages.ts:1026:13:BooleanLiteral:inRange",
    "zx_pager_op_range: WRITEBACK within the VMO OUT_OF_RANGE (the range check inverted)",
  ],
  [
    "kernel/vmo_pages.ts:1012:13:ConditionalExpression:false",
    "zx_pager_op_range: OP_FAIL past the VMO's end not OUT_OF_RANGE",
  ],
  // What a clone shows: read-content's model of it, from the create_child arguments.
  [
    "kernel/vmo_pages.ts:1386:22:ArithmeticOperator:offset * ps",
    "read-content: a clone that sees its parent from the wrong page",
    "read-content",
  ],
  [
    "kernel/vmo_pages.ts:239:7:AssignmentOperator:off -= vmo.parentOffset",
    // packet-discipline's sizing (session 26, the same bound as read-content R3) now fails it a
    // step earlier, at the READ of root pages the pin does not touch.
    "sizing: a slice that asks for its parent's pages from the wrong side of its offset",
    "packet-discipline",
  ],
  [
    "kernel/vmo_pages.ts:548:61:ArithmeticOperator:p - shift",
    "sizing (read-content R3 before session 26): COMMIT of an offset clone asks for root pages below the clone's",
    "packet-discipline",
  ],
  [
    "kernel/vmo_pages.ts:671:67:ArithmeticOperator:pos - n",
    "read-content R2: a kernel copy to or from a user buffer moves no byte",
    "read-content",
  ],
  [
    "kernel/vmo_pages.ts:747:13:ConditionalExpression:false",
    "zx_bti_pin: a pager VMO's zero interval pinned without a page (the pin layout's grown pages)",
    "kernel-assertion",
  ],
  [
    "kernel/vmo_pages.ts:1320:37:BlockStatement:{}",
    "read-content: a clone sees its parent's regrown tail after a shrink (pin layout's end)",
    "read-content",
  ],
  [
    "kernel/vmo_pages.ts:1321:38:BlockStatement:{}",
    "read-content: a clone's parent limit kept through its parent's shrink",
    "read-content",
  ],
  [
    "kernel/vmo_pages.ts:1420:23:LogicalOperator:p < pages || p + at < base.pageCount",
    "read-content: a snapshot of a clone keeps the clone's pages past its own end (seen once grown)",
    "read-content",
  ],
  [
    "kernel/vmo_pages.ts:1046:10:EqualityOperator:vmo.frames === null",
    "zx_object_get_info: CONTIGUOUS reported of every VMO but the contiguous ones",
  ],
  [
    "kernel/vmo_pages.ts:1412:27:MethodExpression:Math.min(0, Math.min(lim, node.pageCount - nodeOff))",
    "read-content: a clone that sees nothing of its parent (parent limit 0)",
    "read-content",
  ],
];

// Zircon's pager tests as the campaign judge runs them (mutate/judges.ts: checkers only, with
// read-content): the bytes a SNAPSHOT_MODIFIED child of a clone shows (conformance S2).
const CONFORMANCE_PAGES_CASES: [key: string, case_: string][] = [
  [
    "kernel/vmo_pages.ts:1422:13:ConditionalExpression:true",
    "S2 AtLeastOnWriteAfterSnapshotModified",
  ],
  [
    "kernel/vmo_pages.ts:1422:13:EqualityOperator:s !== MARKER",
    "S2 AtLeastOnWriteAfterSnapshotModified",
  ],
];

Deno.test("read-content on the campaign judge's conformance workloads kills the vmo_pages.ts snapshot-of-a-clone mutants", async (t) => {
  const m = await mirror();
  const { campaignProbes } = await m.load("mutate/judges.ts") as Any;
  const probes: Any[] = campaignProbes(new URL("../", import.meta.url));
  for (const [key, name] of CONFORMANCE_PAGES_CASES) {
    await t.step(`${key} by ${name}`, async () => {
      const probe = probes.find((p) => p.id === `conformance:${name.replace(" ", ":")}:1`);
      assert.ok(probe !== undefined, `no probe of ${name}`);
      const ctx = { serviceMutant: false, serviceExempt: new Set() };
      assert.equal(await probe.run(ctx), null, "passes unmutated");
      const v = await m.withMutant(key, () => probe.run(ctx));
      assert.equal(v, "invariant:read-content");
    });
  }
});

Deno.test("the program contract's zx_pager_op_range data checks and zx_vmo_create_child outcomes, and read-content's clones, kill the vmo_pages.ts mutants that return another allowed status or other bytes", async (t) => {
  await killsOnPrograms(t, PAGES_CASES);
});

// What the trace's ret shows against what the call handed back (program/run.ts `traceShows`).
const SYSCALLS_CASES: [key: string, what: string][] = [
  [
    'kernel/syscalls.ts:1320:43:EqualityOperator:typeof out[2] !== "number"',
    "the trace's ret of zx_vmar_allocate shows neither its handle nor its address",
  ],
  [
    'kernel/syscalls.ts:1316:14:EqualityOperator:typeof first !== "number"',
    "the trace's ret of a call that made a handle does not show it",
  ],
  // An injected allocation failure before the handle lookups (the judge's programs with
  // allocation failures, `programAllocFailures`): NO_MEMORY where the handle model says
  // BAD_HANDLE, WRONG_TYPE or ACCESS_DENIED.
  [
    "kernel/syscalls.ts:1291:12:ConditionalExpression:true",
    "an allocation failure injected whatever the handle lookups say",
  ],
  // An allocating call that succeeds without asking the injection hook (program/alloc_point.ts):
  // no argument check left out, yet injected failures never reach it (fresh shard 3 of b573f09).
  [
    "kernel/syscalls.ts:1291:12:ConditionalExpression:false @end+1:83",
    "no allocating call asks the allocation-failure hook (a handle check always failing)",
  ],
  [
    "kernel/syscalls.ts:1289:38:ConditionalExpression:false",
    "zx_pager_supply_pages never asks the allocation-failure hook (an alignment check always failing)",
  ],
  // Waits on an event signalled by hand (`signalLayout`, the judge's `programSignalLayouts`).
  [
    "kernel/syscalls.ts:1384:78:BooleanLiteral:false",
    "zx_object_wait_one: a timed-out wait hands back 0, not what it observed",
  ],
  [
    'kernel/syscalls.ts:1384:9:EqualityOperator:s.result !== "handle"',
    "zx_object_wait_one: a failed wait's observed signals dropped (with the handle results')",
  ],
  // Sample 9c15424 (seed 12): the trace's call against the arguments the program gave.
  [
    "kernel/syscalls.ts:1364:89:UpdateOperator:n++",
    "the trace's call shows a slot for an optional user buffer the call was not given",
  ],
];

Deno.test("the trace's ret of a program's call shows what the call handed back, an injected allocation failure comes after the handle lookups, and a timed-out wait hands back what it observed: syscalls.ts mutants", async (t) => {
  await killsOnPrograms(t, SYSCALLS_CASES);
});

// A VMO with a live child, mapped and unmapped, waited on for ZERO_CHILDREN (`signalLayout`):
// futex-discipline's zero-children judges what the wait observed (sample 9c15424, seed 12).
const KERNEL_OBJECTS_CASES: [key: string, what: string, invariant: string][] = [
  [
    "kernel/kernel_objects.ts:343:16:EqualityOperator:vmo.handleCount + vmo.mappings + vmo.inflight !== 0",
    "a VMO that loses a mapping but keeps a handle gives its children up (ZERO_CHILDREN rises)",
    "futex-discipline",
  ],
];

Deno.test("a VMO's children stay its own while a handle keeps it: the kernel_objects.ts lifetime mutant", async (t) => {
  await killsOnPrograms(t, KERNEL_OBJECTS_CASES);
});

// Sample db479d7 (seed 13), gap list C (docs/mutation.md): the region layout's nested region
// (generate.ts `#nestedRegion`: direct mappings either side of a one-page sub-region's mapping,
// walked by MAP_RANGE; `#shrunkTarget`: user copies into a mapping past its VMO's shrunk end) and
// the pin layout's ends (`#contiguousZero`, `#pinnedDecommit`, `#clonedSlicePin`), judged by the
// contract's picture of the address space, its user-copy, ZERO and DECOMMIT predictions and the
// kernel's own pin assertions.
const GAP_C_OBJECTS_CASES: [key: string, what: string][] = [
  [
    "kernel/objects.ts:717:36:LogicalOperator:r.base < at + length || at < r.base + r.size",
    "a SPECIFIC mapping ending where a sub-region begins is ALREADY_EXISTS",
  ],
  [
    "kernel/objects.ts:673:31:ConditionalExpression:true",
    "a walk prefers a sub-region's later mapping to a direct one (MAP_RANGE meets a gap)",
  ],
];

Deno.test("gap list C: a SPECIFIC mapping next to a sub-region, and a walk into one and out: objects.ts", async (t) => {
  await killsOnPrograms(t, GAP_C_OBJECTS_CASES);
});

const GAP_C_PAGES_CASES: [key: string, what: string, invariant: string][] = [
  [
    "kernel/vmo_pages.ts:946:11:ConditionalExpression:false",
    "DECOMMIT over a page a pin holds succeeds",
    "program-contract",
  ],
  [
    "kernel/vmo_pages.ts:982:9:EqualityOperator:op !== ZX_VMO_OP_ZERO",
    "ZERO of a contiguous VMO decommits (and DECOMMIT zeroes)",
    "program-contract",
  ],
  [
    "kernel/vmo_pages.ts:669:11:ArithmeticOperator:o - n",
    "a user copy into a mapping past its VMO's shrunk end is not OUT_OF_RANGE",
    "program-contract",
  ],
  [
    "kernel/vmo_pages.ts:703:35:ArithmeticOperator:end - off",
    "a pin through a slice of a clone pins short of the slice's pages",
    "kernel-assertion",
  ],
];

Deno.test("gap list C: a user copy past a shrunk VMO's end, DECOMMIT over a live pin, ZERO of a contiguous VMO, a pin of a slice of a clone: vmo_pages.ts", async (t) => {
  await killsOnPrograms(t, GAP_C_PAGES_CASES);
});

// Sample 94ec47c (seed 15), gap list V: `zx_vmo_create_child` of a pager VMO or its clone at an
// unaligned offset is INVALID_ARGS whatever the child type (the contract's `unalignedChildOffset`;
// the generator's offsets are sometimes unaligned).
const GAP_V_CHILD_CASES: [key: string, what: string][] = [
  [
    "kernel/vmo_pages.ts:1367:9:LogicalOperator:!isU64(offset) && offset % ps !== 0",
    "zx_vmo_create_child takes an unaligned offset (checks need both a non-u64 and an unaligned one)",
  ],
  [
    "kernel/vmo_pages.ts:1367:27:ConditionalExpression:false",
    "zx_vmo_create_child takes an unaligned offset (the alignment check is gone)",
  ],
];

Deno.test("zx_vmo_create_child at an unaligned offset is INVALID_ARGS: vmo_pages.ts mutants of sample 94ec47c", async (t) => {
  await killsOnPrograms(t, GAP_V_CHILD_CASES);
});

// Gap list V: `commitLent` (program/generate.ts) commits a fresh anonymous VMO and asks for its
// info (the contract's `CommitFloor`), and decommits a contiguous VMO's middle page and reads it
// whole (read-content R1).
const GAP_V_COMMIT_CASES: [key: string, what: string, invariant: string][] = [
  [
    "kernel/vmo_pages.ts:954:58:EqualityOperator:p >= end",
    "COMMIT of an anonymous VMO commits nothing, and says ZX_OK",
    "program-contract",
  ],
  [
    "kernel/vmo_pages.ts:994:25:EqualityOperator:p <= end",
    "DECOMMIT of a contiguous VMO lends the page after its range too",
    "read-content",
  ],
];

Deno.test("COMMIT leaves an anonymous VMO's pages committed, DECOMMIT of a contiguous VMO stops at its range: vmo_pages.ts mutants of sample 94ec47c", async (t) => {
  await killsOnPrograms(t, GAP_V_COMMIT_CASES);
});

// Sample db479d7 (seed 13), gap list D: a pager VMO's user signals set, one cleared, then waited
// for (`signalLayout`): futex-discipline's user-signals judges what the wait observed.
const USER_SIGNAL_CASES: [key: string, what: string, invariant: string][] = [
  [
    "kernel/kernel.ts:400:44:UnaryOperator:clear",
    "zx_object_signal on a VMO keeps only the signals clear_mask names, not the others",
    "futex-discipline",
  ],
];

Deno.test("zx_object_signal clears clear_mask, then sets set_mask, on a VMO: the kernel.ts user-signal mutant", async (t) => {
  await killsOnPrograms(t, USER_SIGNAL_CASES);
});

// Sample db479d7 (seed 13), gap list D: `regionLayout`'s region of the root with CAN_MAP_EXECUTE
// and its region without CAN_MAP_SPECIFIC destroyed twice; the contract's zx_vmar_allocate and
// zx_vmar_destroy predictions.
const VMAR_D_CASES: [key: string, what: string][] = [
  [
    "kernel/kernel_vmar.ts:214:25:BooleanLiteral:region.flags.execute",
    "zx_vmar_allocate: CAN_MAP_EXECUTE refused where the parent has it (and granted where not)",
  ],
  [
    "kernel/kernel_vmar.ts:247:9:ConditionalExpression:false",
    "zx_vmar_destroy: a destroyed region destroyed again is not BAD_STATE",
  ],
];

Deno.test("a region of the root may map executable pages, and a dead region is BAD_STATE to zx_vmar_destroy: kernel_vmar.ts mutants of gap list D", async (t) => {
  await killsOnPrograms(t, VMAR_D_CASES);
});

// Sample 756b652 (seed 14): the edges of a region whose layout the contract knows exactly
// (`#regionEdges`): a gap right after a sub-region, COMMIT from one mapping's middle into the
// next, a copy into a mapping at the start of a sub-region that follows another, a protect of
// part of a mapping (the picture splits it on ZX_OK, as upstream does) and an unmap of a
// sub-region with a mapping (the picture drops both on ZX_OK).
const VMAR_EDGE_CASES: [key: string, what: string][] = [
  [
    "kernel/kernel_vmar.ts:165:11:LogicalOperator:(regions.length > 1 || only.base !== addr) && only.size !== end - addr",
    "zx_vmar_unmap of a sub-region and the mapping after it destroys the sub-region only, ZX_OK",
  ],
  [
    "kernel/kernel_vmar.ts:285:64:ConditionalExpression:true",
    "zx_vmar_protect: the gap right after a sub-region is INVALID_ARGS, not NOT_FOUND",
  ],
  [
    "kernel/kernel_vmar.ts:294:9:LogicalOperator:hit[0].addr !== addr && hit[hit.length - 1].addr + hit[hit.length - 1].len !== end",
    "zx_vmar_protect of a mapping's first page changes the whole mapping, ZX_OK",
  ],
  [
    "kernel/kernel_vmar.ts:339:43:ArithmeticOperator:m.len + inMapping",
    "zx_vmar_op_range: COMMIT from a mapping's middle runs past its VMO (OUT_OF_RANGE)",
  ],
];

Deno.test("the edges of a known region: kernel_vmar.ts unmap, protect and op_range mutants of sample 756b652", async (t) => {
  await killsOnPrograms(t, VMAR_EDGE_CASES);
});

const OBJECTS_EDGE_CASES: [key: string, what: string][] = [
  [
    "kernel/objects.ts:649:39:ConditionalExpression:true @end+0:79",
    "a fault looks its address up in the first sub-region, whichever holds it",
  ],
  [
    "kernel/objects.ts:649:57:EqualityOperator:addr >= r.base + r.size",
    "a fault looks its address up in a sub-region that ends before it",
  ],
];

Deno.test("a copy into a mapping at the start of a sub-region that follows another: objects.ts mutants of sample 756b652", async (t) => {
  await killsOnPrograms(t, OBJECTS_EDGE_CASES);
});

// Sample 756b652 (seed 14): what ZX_INFO_VMO counts (`infoCounts`): populated_scaled_bytes never
// over populated_bytes, and equal for a root never cloned; num_children at least the children
// with open handles. `#childCounts` gives a pager VMO a child, hints it (an operation in flight)
// with one handle, then with one handle and one mapping.
const INFO_OBJECTS_CASES: [key: string, what: string][] = [
  [
    "kernel/objects.ts:467:11:LogicalOperator:(s === undefined || s === MARKER) && s instanceof ZeroSlot",
    "populated_scaled_bytes counts absent pages",
  ],
  [
    "kernel/objects.ts:467:11:ConditionalExpression:false @end+0:67",
    "populated_scaled_bytes counts absent pages, markers and zero intervals",
  ],
  [
    "kernel/objects.ts:467:11:EqualityOperator:s !== undefined",
    "populated_scaled_bytes counts the absent pages instead of the present ones",
  ],
  [
    "kernel/objects.ts:440:12:ArithmeticOperator:this.handleCount + this.mappings + this.inflight - this.children.length",
    "a child takes its VMO's life away: the VMO dies with its handle open (OP_FAIL BAD_STATE)",
  ],
];

Deno.test("what ZX_INFO_VMO counts, and a VMO a child keeps: objects.ts mutants of sample 756b652", async (t) => {
  await killsOnPrograms(t, INFO_OBJECTS_CASES);
});

const INFO_KERNEL_OBJECTS_CASES: [key: string, what: string][] = [
  [
    "kernel/kernel_objects.ts:343:16:ArithmeticOperator:vmo.handleCount - vmo.mappings",
    "a VMO whose one handle is balanced by one mapping gives its children away (num_children 0)",
  ],
];

Deno.test("num_children keeps a child with an open handle: the kernel_objects.ts mutant of sample 756b652", async (t) => {
  await killsOnPrograms(t, INFO_KERNEL_OBJECTS_CASES);
});

// Sample 756b652 (seed 14): a dirty-ranges query within a fixed-size pager VMO is ZX_OK, and a
// port asked with an option bit upstream does not take is INVALID_ARGS (PortDispatcher::Create).
const KERNEL_E_CASES: [key: string, what: string][] = [
  [
    "kernel/kernel.ts:279:9:ConditionalExpression:true",
    "zx_pager_query_dirty_ranges is OUT_OF_RANGE within the VMO",
  ],
  [
    "kernel/kernel.ts:307:9:ConditionalExpression:false",
    "zx_port_create takes any option bits",
  ],
];

Deno.test("a dirty-ranges query within the VMO, and a port's option bits: kernel.ts mutants of sample 756b652", async (t) => {
  await killsOnPrograms(t, KERNEL_E_CASES);
});

// Sample 756b652 (seed 14): what a call hands back and what the trace says of it. A failed call
// of a handle or value kind hands back its kind's slots, and its ret shows only the status; a
// signal packet taken from a port (`signalLayout`'s async wait, then `zx_port_wait`) shows in
// the trace's `observed` event.
const TRACE_SYSCALLS_CASES: [key: string, what: string][] = [
  [
    'kernel/syscalls.ts:1248:5:ConditionalExpression:case "value":',
    "a failed call of a value kind hands back a bare status",
  ],
  [
    "kernel/syscalls.ts:1308:7:ConditionalExpression:false @end+0:50",
    "the ret of a failed call shows a handle or value",
  ],
];

Deno.test("a failed call's shape and its ret: syscalls.ts mutants of sample 756b652", async (t) => {
  await killsOnPrograms(t, TRACE_SYSCALLS_CASES);
});

const TRACE_KERNEL_CASES: [key: string, what: string][] = [
  [
    "kernel/kernel.ts:343:26:BlockStatement:{}",
    "zx_port_wait hands back a signal packet the trace does not show",
  ],
];

Deno.test("a signal packet taken from a port shows in the trace: the kernel.ts mutant of sample 756b652", async (t) => {
  await killsOnPrograms(t, TRACE_KERNEL_CASES);
});

// Sample 756b652 (seed 14), the same class past the blind spots: an unmap of half a sub-region
// (INVALID_ARGS) and an unmap in a destroyed region (BAD_STATE), predicted by `unmapIn`.
const UNMAP_CASES: [key: string, what: string][] = [
  [
    "kernel/kernel_vmar.ts:159:9:ConditionalExpression:false",
    "zx_vmar_unmap in a destroyed region is not BAD_STATE",
  ],
  [
    "kernel/kernel_vmar.ts:162:9:ConditionalExpression:false",
    "zx_vmar_unmap of half a sub-region is not INVALID_ARGS",
  ],
];

Deno.test("zx_vmar_unmap of half a sub-region, and in a destroyed region: kernel_vmar.ts mutants", async (t) => {
  await killsOnPrograms(t, UNMAP_CASES);
});

// Sample d8197e4 (seed 16), gap list B: an async wait for a signal already active (or set later)
// surely queues a packet (`signal_port_model.ts`), so a `zx_port_wait` that then times out fails
// the contract. `signalLayout`'s wait for the VMO's user signal left set reaches it.
const SIGNAL_PORT_CASES: [key: string, what: string][] = [
  [
    "kernel/signals.ts:69:9:EqualityOperator:this.#waits.length !== 0",
    "an async wait whose signal is active never fires",
  ],
  [
    "kernel/signals.ts:77:11:ConditionalExpression:false",
    "an async wait fires whatever the object's signals",
  ],
];

Deno.test("an async wait for an active signal queues its packet: the signals.ts mutant of sample d8197e4", async (t) => {
  await killsOnPrograms(t, SIGNAL_PORT_CASES);
});
