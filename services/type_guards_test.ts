// Regression (issue 12): isRead/isComplete narrowed the branch they reject to `never`, so a user's
// service that handled READ, then DIRTY, then COMPLETE did not type-check. This file is the
// user's code: `deno test` type-checks it before it runs.
import { strict as assert } from "node:assert";
import { isComplete, isDirty, isRead, type Packet, type PagePacket } from "../mod.ts";
// The constants' sub-path export, `pagersim/constants`.
import {
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_PKT_TYPE_USER,
} from "../kernel/constants.ts";

const page = (command: number, offset = 64, length = 128): PagePacket => ({
  type: ZX_PKT_TYPE_PAGE_REQUEST,
  key: 5,
  status: 0,
  command,
  flags: 0,
  offset,
  length,
});

/** A page packet, already known to be one: each rejected branch keeps its fields. */
function classifyPage(p: PagePacket): string {
  if (isRead(p)) return `read ${p.offset}+${p.length}`;
  if (isDirty(p)) return `dirty ${p.offset}+${p.length}`;
  if (isComplete(p)) return `complete ${p.key}`;
  return `unknown command ${p.command} at ${p.offset}`;
}

/** Anything a port wait returns, tested in the other order. */
function classify(p: Packet | null): string {
  if (!isComplete(p)) {
    if (p === null) return "nothing";
    if (!isRead(p)) {
      if (isDirty(p)) return `dirty ${p.offset}+${p.length}`;
      if ("user" in p) return `user ${p.user.length}`;
      // Issue 13: async waits deliver signal packets to a port too.
      if ("signal" in p) return `signal ${p.signal.observed}`;
      return `unknown ${p.command}`;
    }
    return `read ${p.offset}+${p.length}`;
  }
  return `complete ${p.key} ${p.length}`;
}

Deno.test("type guards: each rejected branch keeps the packet's other kinds", () => {
  assert.equal(classifyPage(page(ZX_PAGER_VMO_READ)), "read 64+128");
  assert.equal(classifyPage(page(ZX_PAGER_VMO_DIRTY)), "dirty 64+128");
  assert.equal(classifyPage(page(ZX_PAGER_VMO_COMPLETE, 0, 0)), "complete 5");
  assert.equal(classifyPage(page(9)), "unknown command 9 at 64");
  assert.equal(classify(page(ZX_PAGER_VMO_READ)), "read 64+128");
  assert.equal(classify(page(ZX_PAGER_VMO_DIRTY)), "dirty 64+128");
  assert.equal(classify(page(ZX_PAGER_VMO_COMPLETE, 0, 0)), "complete 5 0");
  assert.equal(classify(null), "nothing");
  assert.equal(classify({ type: ZX_PKT_TYPE_USER, key: 1, status: 0, user: [1, 2] }), "user 2");
  const signal = { trigger: 8, observed: 8, count: 1, timestamp: 0 };
  assert.equal(classify({ type: ZX_PKT_TYPE_SIGNAL_ONE, key: 1, status: 0, signal }), "signal 8");
  // A user packet is never a page request, whatever its key.
  const user: Packet = { type: ZX_PKT_TYPE_USER, key: 5, status: 0, user: [] };
  assert.ok(!isRead(user) && !isDirty(user) && !isComplete(user));
});
