// Gap list O (docs/mutation.md, "Gap list O"): mutants of kernel_vmar.ts, signals.ts and
// kernel_objects.ts the tests judge killed and every campaign probe let through (full run on
// 620eaba, shards 1-2), each now failing a program of the mutate judge that passes unmutated:
// the protect/unmap argument edges and DECOMMIT of a pager VMO's mapping (generate.ts
// `#protectEdges`, anon_op_range.ts `mappingDecommitRefused`), what a port of async waits hands
// back (signal_port_model.ts `signalPacketWrong`, generate.ts `#signalClosed`) and the
// COMPLETEs pager VMOs owe (complete_model.ts, generate.ts `#completes`). One mirror of the
// three files.
import { strict as assert } from "node:assert";
import { firstContractKiller, sharedProgramMirror } from "./testdata/program_verdict.ts";

const FILES = ["kernel/kernel_vmar.ts", "kernel/signals.ts", "kernel/kernel_objects.ts"];

/** The one mirror of FILES and a verdict of the judge's program `k` from it. */
const judged = sharedProgramMirror(FILES);

const CASES: [key: string, what: string][] = [
  [
    "kernel/kernel_vmar.ts:162:46:ArithmeticOperator:x.base - x.size",
    "zx_vmar_unmap from a sub-region's base to its middle is NOT_FOUND, not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:272:39:ConditionalExpression:false",
    "zx_vmar_protect takes option bits other than PERM_*",
  ],
  [
    "kernel/kernel_vmar.ts:285:48:EqualityOperator:at > x.base",
    "zx_vmar_protect from a sub-region's base is NOT_FOUND, not INVALID_ARGS",
  ],
  [
    "kernel/kernel_vmar.ts:298:20:EqualityOperator:(options & ZX_VM_PERM_READ) === 0",
    "zx_vmar_protect to read-only leaves the mapping unreadable",
  ],
  [
    "kernel/kernel_vmar.ts:354:11:ConditionalExpression:false",
    "zx_vmar_op_range(DECOMMIT) over a pager VMO's mapping ignores its VMO op's NOT_SUPPORTED",
  ],
  ["kernel/signals.ts:82:36:ObjectLiteral:{}", "an async wait queues an empty packet"],
  ["kernel/signals.ts:86:17:ObjectLiteral:{}", "a signal packet's trigger and observed are lost"],
  [
    "kernel/signals.ts:88:7:CallExpression:;",
    "the trace's observed event of a signal packet names koid -1 (run.ts signalPacketShown)",
  ],
  [
    "kernel/signals.ts:94:38:BlockStatement:{}",
    "closing the handle a wait was made through does not end the wait",
  ],
  [
    "kernel/signals.ts:95:42:EqualityOperator:i > 0",
    "closing a handle ends every wait of it but the oldest pending one",
  ],
  [
    "kernel/signals.ts:96:11:ConditionalExpression:true",
    "closing a handle ends the waits made through every handle",
  ],
  [
    "kernel/kernel_objects.ts:351:9:ConditionalExpression:false",
    "a pager VMO whose last handle closes is not detached: no COMPLETE (complete_model.ts)",
  ],
  [
    "kernel/kernel_objects.ts:357:11:BooleanLiteral:pager.closed",
    "closing the pager leaves a dead VMO's unread COMPLETE queued",
  ],
  [
    "kernel/kernel_objects.ts:363:52:CallExpression:;",
    "a dead VMO's unread COMPLETE is not kept for its pager's close to withdraw",
  ],
];

for (const [key, what] of CASES) {
  Deno.test(`gap list O: ${what}`, async () => {
    const { verdict } = await judged();
    const killer = firstContractKiller(verdict, key, 200);
    assert.ok(killer !== undefined, `no judge program among 200 fails the contract with ${key}`);
  });
}
