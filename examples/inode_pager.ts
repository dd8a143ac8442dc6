/**
 * A pager service that opens its own VMOs, as a filesystem does (issue 19):
 * its contract's `opens` clause has the harness call `open` when the
 * workload opens a file, and `close` when it closes it. `open` creates the
 * VMO with the service's own key, a 64-bit node id (a filesystem id in the
 * high 32 bits, the inode number in the low ones, so every key is at least
 * 2^32), keeps its own handle and returns the client's. Packets are looked up
 * by that key; a packet whose key the service never created a VMO with is a
 * key error and crashes the service (so a campaign with no failing run had
 * none). Pages come from the backing store by the file's id (its inode),
 * never by the key. `close` detaches the VMO and closes the service's
 * handle; the node is forgotten when its COMPLETE comes, and a re-open before
 * that makes a new node under the same key (packets go to the open one).
 *
 * `deno task fuzz --service examples/inode_pager.ts --workers 2 --seconds 60`
 *
 * @example
 * ```ts
 * import { strict as assert } from "node:assert";
 * import { parseScenario, runScenario, withContract } from "../mod.ts";
 * import inodePager, { close, contract, FS_KEY_BASE, open } from "./inode_pager.ts";
 * const fs = withContract(inodePager, contract, { open, close });
 * const run = runScenario(parseScenario({
 *   pageSize: 64,
 *   pagers: [{ name: "fs", service: { kind: "custom", name: "fs" } }],
 *   vmos: [{ name: "file", pager: "fs", pages: 2, key: 7, startsClosed: true }],
 *   threads: [{ name: "t", ops: [{ op: "open", vmo: "file" }, { op: "read", vmo: "file", page: 0, pages: 2 }] }],
 * }), { seed: 1, services: { fs } });
 * assert.equal(run.verdict.kind, "pass");
 * assert.equal(run.names.vmoKey.get("file"), FS_KEY_BASE + 7);
 * ```
 *
 * @module
 */

import {
  acknowledgeDirty,
  fileRange,
  isComplete,
  isDirty,
  isRead,
  type OpenFile,
  type ServiceContext,
  type ServiceContractInput,
  type ServiceVmo,
  type Status,
  supplyBytes,
  type Sys,
  type ThreadBody,
  ZX_OK,
  ZX_TIME_INFINITE,
} from "../mod.ts";
import type { Syscall } from "../kernel/kernel.ts";
import {
  ZX_ERR_NOT_FOUND,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";

/** This filesystem's id, in the high 32 bits of every key. */
export const FS_ID = 0x2a;
/** The key of inode 0: every key is `FS_KEY_BASE + inode`. */
export const FS_KEY_BASE = FS_ID * 2 ** 32;

/** The service opens its own VMOs (and so its files come and go). */
export const contract: ServiceContractInput = { opens: { entry: "open", close: "close" } };

/** An open file: its VMO as the service holds it, and whether it was closed (COMPLETE due). */
interface Node extends ServiceVmo {
  /** The file's inode number: where its pages are in the backing store. */
  readonly inode: number;
  closed: boolean;
}

/** The key of `inode`: the filesystem id in the high bits. */
export function keyOf(inode: number): number {
  return FS_KEY_BASE + (inode % 2 ** 32);
}

/** The service's threads and its entry points, sharing one node table per pager. */
export interface InodePager {
  /** A service thread. */
  readonly serve: (sys: Sys, ctx: ServiceContext) => ThreadBody;
  /** The open entry point (`contract.opens.entry`). */
  readonly open: (sys: Sys, ctx: ServiceContext, file: OpenFile) => Syscall<[Status, number]>;
  /** The close entry point (`contract.opens.close`). */
  readonly close: (sys: Sys, ctx: ServiceContext, file: OpenFile) => Syscall<Status>;
}

/**
 * An inode pager: its threads and entry points share each context's nodes
 * (by key, newest last) through a `WeakMap` the factory owns (a context is
 * one run's pager), so no state outlives a run at module level.
 */
export function makeInodePager(): InodePager {
  const tables = new WeakMap<ServiceContext, Map<number, Node[]>>();
  const nodes = (ctx: ServiceContext): Map<number, Node[]> => {
    let m = tables.get(ctx);
    if (m === undefined) tables.set(ctx, m = new Map());
    return m;
  };
  return {
    *open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
      const key = keyOf(file.id);
      const options = (file.trapDirty ? ZX_VMO_TRAP_DIRTY : 0) |
        (file.resizable ? ZX_VMO_RESIZABLE : 0);
      const [st, own] = yield* sys.pagerCreateVmo(ctx.pager, options, ctx.port, key, file.size);
      if (st !== ZX_OK) return [st, 0];
      const [ds, client] = yield* sys.handleDuplicate(own, ZX_RIGHT_SAME_RIGHTS);
      if (ds !== ZX_OK) {
        yield* sys.handleClose(own);
        return [ds, 0];
      }
      const m = nodes(ctx);
      const list = m.get(key) ?? [];
      list.push({
        name: file.name,
        key,
        handle: own,
        size: file.size,
        inode: file.id,
        ...(file.file === undefined ? {} : { file: file.file }),
        closed: false,
      });
      m.set(key, list);
      return [ZX_OK, client];
    },
    *close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
      const node = nodes(ctx).get(keyOf(file.id))?.find((n) => !n.closed);
      if (node === undefined) return ZX_ERR_NOT_FOUND;
      node.closed = true;
      const st = yield* sys.pagerDetachVmo(ctx.pager, node.handle);
      yield* sys.handleClose(node.handle);
      return st;
    },
    *serve(sys: Sys, ctx: ServiceContext): ThreadBody {
      for (;;) {
        const [st, packet] = yield* sys.portWait(ctx.port, ZX_TIME_INFINITE);
        if (st !== ZX_OK) return;
        if (packet === null) continue;
        const list = nodes(ctx).get(packet.key);
        if (list === undefined) {
          throw new Error(`key error: packet key ${packet.key} names no VMO this service created`);
        }
        if (isComplete(packet)) {
          // The oldest closed node's VMO is gone (COMPLETE is the last packet of a VMO).
          const i = list.findIndex((n) => n.closed);
          if (i >= 0) list.splice(i, 1);
          continue;
        }
        const node = list.findLast((n) => !n.closed);
        if (node === undefined) continue; // a request of a closed file: the detach failed it
        if (isRead(packet)) {
          const data = fileRange(node.inode, packet.offset, packet.length, node.file);
          yield* supplyBytes(sys, ctx, node, packet.offset, data);
        } else if (isDirty(packet)) {
          yield* acknowledgeDirty(sys, ctx, node, packet.offset, packet.length);
        }
      }
    },
  };
}

const inode = makeInodePager();

/** A service thread of the module's inode pager. */
export default function* inodePager(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* inode.serve(sys, ctx);
}

/** The open entry point (`contract.opens.entry`) of the module's inode pager. */
export function* open(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<[Status, number]> {
  return yield* inode.open(sys, ctx, file);
}

/** The close entry point (`contract.opens.close`) of the module's inode pager. */
export function* close(sys: Sys, ctx: ServiceContext, file: OpenFile): Syscall<Status> {
  return yield* inode.close(sys, ctx, file);
}
