/**
 * Files that come and go (issue 13, item 3; issue 19, item 1): the `open` and
 * `close` ops of a scenario's workload, run as syscalls on the thread that
 * names them, so they are scheduled and recorded like any other call.
 *
 * Two ways to open a file:
 * - The harness creates the VMO (today's way, for a service whose contract
 *   has no `opens` clause): `zx_pager_create_vmo` with the scenario's key,
 *   a duplicate handle for the service, the VMO added to the service's
 *   `ctx.vmos` (registration). Before it re-creates a file under a key it
 *   used, it waits (sleeping a tick at a time, at most
 *   {@linkcode COMPLETE_WAIT_TICKS}) until a service thread has taken the
 *   previous VMO's COMPLETE, or that COMPLETE was dropped, or the pager or
 *   port is gone: a key is reused only after its COMPLETE, as a filesystem
 *   reuses an inode number. A wait that runs out leaves the file closed and
 *   the op returns ZX_ERR_TIMED_OUT.
 *   `close` closes the workload's handle, takes the VMO out of `ctx.vmos`,
 *   detaches it (`zx_pager_detach_vmo`: waiting readers fail, COMPLETE is
 *   queued) and closes the service's handle.
 * - The service creates it (`opens: { entry, close }` in its contract): the
 *   harness calls the service's open entry with the file (its identity in
 *   the backing store, size and options); the service creates the VMO with
 *   a key of its own and returns the client's handle, which must be a VMO of
 *   the service's pager. `close` closes the client's handle and calls the
 *   close entry.
 *
 * A thread's op on a file that is not open uses the handle it last had
 * (closed, so ZX_ERR_BAD_HANDLE), or ZX_HANDLE_INVALID before its first open.
 *
 * Either way the harness records which file each VMO holds
 * (`World.fileIds`, koid → file id), so the checkers judge content against
 * the backing pattern of the file, never the key the service chose.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_BAD_STATE,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import type { Syscall } from "../kernel/kernel.ts";
import { Vmo } from "../kernel/objects.ts";
import type { ServiceContext, ServiceVmo } from "../services/service.ts";
import type { Sys } from "../sim/sys.ts";
import type { World } from "../sim/world.ts";
import type { BoundContract, OpenFile } from "./service_contract.ts";
import type { DeliveryKind } from "./contract.ts";

/** The longest a re-open waits for the previous VMO's COMPLETE to be taken, in ticks. */
export const COMPLETE_WAIT_TICKS = 400;

/** One file's state during a run. */
export interface FileLife extends OpenFile {
  /** Its pager, by scenario name. */
  readonly pager: string;
  /** The workload's handle while open, else 0. */
  client: number;
  /** The service's handle the harness made (harness-created VMOs), else 0. */
  own: number;
  /** The koid of the VMO while open. */
  koid: number | null;
  /** The koid of the last VMO that held the file, once closed (its COMPLETE comes). */
  lastKoid: number | null;
}

/** What {@linkcode Files} needs of the run being built. */
export interface FilesSetup {
  /** The world (its kernel, its trace, its file registry). */
  readonly world: World;
  /** Every file that comes and goes, by VMO name. */
  readonly files: ReadonlyMap<string, FileLife>;
  /** The workload's VMO handles by name (updated as files open and close). */
  readonly handles: Map<string, number>;
  /** VMO koids by name (the latest VMO of each file). */
  readonly koids: Map<string, number>;
  /** Packet keys by name (the latest VMO of each file). */
  readonly keys: Map<string, number>;
  /** A pager's handle. */
  readonly pager: (name: string) => number;
  /** A pager's port. */
  readonly port: (name: string) => number;
  /** A pager's service VMO list (registration). */
  readonly served: (name: string) => ServiceVmo[];
  /** A pager's service context. */
  readonly context: (name: string) => ServiceContext;
  /** A pager's service's open and close entries, if it opens its own VMOs. */
  readonly opens: (name: string) => BoundContract["opens"];
  /** Counts what the harness delivered to a service (`ScenarioRun.delivered`). */
  readonly deliver: (kind: DeliveryKind) => void;
}

/** The open and close ops of a run. */
export class Files {
  readonly #s: FilesSetup;
  /** Koids whose COMPLETE a service thread took, or whose COMPLETE was dropped. */
  readonly #completed = new Set<number>();
  /** Each pager's koid, taken at setup (its handle may close during the run). */
  readonly #pagerKoid = new Map<string, number>();

  /** Ops for the files of `setup`; listens to the trace for COMPLETEs taken. */
  constructor(setup: FilesSetup) {
    this.#s = setup;
    for (const f of setup.files.values()) {
      const pager = setup.world.kernel.handles.entry(setup.pager(f.pager))?.object;
      this.#pagerKoid.set(f.pager, present(pager, () => `Files: pager ${f.pager}`).koid);
    }
    setup.world.trace.listen((e) => {
      if (e.k === "packet-dequeued" && e.packet.command === ZX_PAGER_VMO_COMPLETE) {
        this.#completed.add(e.vmo);
      } else if (e.k === "packet-dropped") this.#completed.add(e.vmo);
    });
  }

  /** True for a VMO that comes and goes. */
  has(name: string): boolean {
    return this.#s.files.has(name);
  }

  #file(name: string): FileLife {
    return present(this.#s.files.get(name), () => `Files: the file ${name}`);
  }

  /**
   * Opens the file `name` on the calling thread; the status of the open. The open is the
   * filesystem's work, done in its own context in reality; it runs on the workload's thread
   * here, so a kill of that thread that lands inside it waits until it returns
   * (`kill-deferred`: else an open or close cut in half leaves state no service could have
   * left, a harness artifact, not a service bug).
   */
  *open(sys: Sys, name: string): Syscall<Status> {
    const entries = this.#s.world.fileEntries;
    entries.set(sys.tid, (entries.get(sys.tid) ?? 0) + 1);
    sys.kernel.enterEntry(sys.thread);
    try {
      return yield* this.#open(sys, name);
    } finally {
      entries.set(sys.tid, (entries.get(sys.tid) ?? 0) - 1);
      sys.kernel.leaveEntry(sys.thread);
    }
  }

  /** Closes the file `name` on the calling thread; the status of the close (a kill waits, as for {@linkcode Files.open}). */
  *close(sys: Sys, name: string): Syscall<Status> {
    const entries = this.#s.world.fileEntries;
    entries.set(sys.tid, (entries.get(sys.tid) ?? 0) + 1);
    sys.kernel.enterEntry(sys.thread);
    try {
      return yield* this.#close(sys, name);
    } finally {
      entries.set(sys.tid, (entries.get(sys.tid) ?? 0) - 1);
      sys.kernel.leaveEntry(sys.thread);
    }
  }

  *#open(sys: Sys, name: string): Syscall<Status> {
    const f = this.#file(name);
    if (f.client !== 0) return ZX_ERR_BAD_STATE; // the schema keeps this from happening
    const entries = this.#s.opens(f.pager);
    const ctx = this.#s.context(f.pager);
    let client: number;
    if (entries !== null) {
      const spec: OpenFile = {
        name: f.name,
        id: f.id,
        size: f.size,
        trapDirty: f.trapDirty,
        resizable: f.resizable,
        ...(f.file === undefined ? {} : { file: f.file }),
      };
      const before = this.#s.world.enter(sys.tid, "open");
      const opened: unknown = yield* entries.open(sys, ctx, spec);
      this.#s.world.enter(sys.tid, before);
      if (
        !Array.isArray(opened) || typeof opened[0] !== "number" || typeof opened[1] !== "number"
      ) {
        throw new Error(
          `the service's open entry returned ${JSON.stringify(opened) ?? "undefined"}: ` +
            `it must return [status, handle] (the client's VMO handle)`,
        );
      }
      const [st, h] = opened as [Status, number];
      if (st !== ZX_OK) return st;
      client = h;
    } else {
      if (f.lastKoid !== null && !(yield* this.#awaitComplete(sys, f))) return ZX_ERR_TIMED_OUT;
      const [st, h] = yield* sys.pagerCreateVmo(
        ctx.pager,
        (f.trapDirty ? ZX_VMO_TRAP_DIRTY : 0) | (f.resizable ? ZX_VMO_RESIZABLE : 0),
        ctx.port,
        f.id,
        f.size,
      );
      if (st !== ZX_OK) return st;
      const [ds, own] = yield* sys.handleDuplicate(h, ZX_RIGHT_SAME_RIGHTS);
      if (ds !== ZX_OK) {
        yield* sys.handleClose(h);
        return ds;
      }
      f.own = own;
      client = h;
      // Registration: the service finds the new VMO by its key from now on.
      this.#s.served(f.pager).push({
        name: f.name,
        key: f.id,
        handle: own,
        size: f.size,
        ...(f.file === undefined ? {} : { file: f.file }),
      });
    }
    const vmo = this.#vmoOf(client, f);
    this.#s.deliver("fileOpen");
    // A VMO the service's open made counts like one the harness made (trial friction 11).
    this.#s.deliver(f.trapDirty ? "trapDirtyVmo" : "plainVmo");
    if (f.resizable) this.#s.deliver("resizableVmo");
    f.client = client;
    f.koid = vmo.koid;
    this.#s.world.fileIds.set(vmo.koid, f.id);
    // The content checkers judge the new VMO by the scenario's layout, never by the service's.
    if (f.file !== undefined) this.#s.world.files.set(vmo.koid, f.file);
    this.#s.handles.set(f.name, client);
    this.#s.koids.set(f.name, vmo.koid);
    this.#s.keys.set(f.name, vmo.key);
    return ZX_OK;
  }

  *#close(sys: Sys, name: string): Syscall<Status> {
    const f = this.#file(name);
    if (f.client === 0) return ZX_ERR_BAD_STATE; // the schema keeps this from happening
    const client = f.client;
    f.client = 0;
    f.lastKoid = f.koid;
    f.koid = null;
    // Later ops on the file use the closed handle: ZX_ERR_BAD_HANDLE (handle values are not reused).
    const st = yield* sys.handleClose(client);
    const entries = this.#s.opens(f.pager);
    const ctx = this.#s.context(f.pager);
    if (entries !== null) {
      const before = this.#s.world.enter(sys.tid, "close");
      const cs = yield* entries.close(sys, ctx, {
        name: f.name,
        id: f.id,
        size: f.size,
        trapDirty: f.trapDirty,
        resizable: f.resizable,
      });
      this.#s.world.enter(sys.tid, before);
      if (typeof cs !== "number") {
        throw new Error(
          `the service's close entry returned ${JSON.stringify(cs) ?? "undefined"}: ` +
            `it must return a status (ZX_OK once the file is closed)`,
        );
      }
      return st !== ZX_OK ? st : cs;
    }
    // The filesystem lets the node go: no longer found by key, detached, its handle closed.
    const list = this.#s.served(f.pager);
    const at = list.findIndex((v) => v.handle === f.own);
    if (at >= 0) list.splice(at, 1);
    yield* sys.pagerDetachVmo(ctx.pager, f.own);
    yield* sys.handleClose(f.own);
    f.own = 0;
    return st;
  }

  /**
   * Waits until the previous VMO of `f` is done with (see the module docs);
   * false when the wait ran out.
   */
  *#awaitComplete(sys: Sys, f: FileLife): Syscall<boolean> {
    const last = present(f.lastKoid, "Files: the last VMO of a re-opened file");
    const k = this.#s.world.kernel;
    const gone = () =>
      this.#completed.has(last) || k.handles.entry(this.#s.pager(f.pager)) === undefined ||
      k.handles.entry(this.#s.port(f.pager)) === undefined;
    let word = 0;
    for (let n = 0; !gone(); n++) {
      if (n >= COMPLETE_WAIT_TICKS) return false;
      if (word === 0) word = sys.futexWord(0);
      yield* sys.futexWait(word, 0, 0, sys.now + 1); // a one-tick sleep
    }
    return true;
  }

  /** The VMO `handle` names: one of the file's pager's VMOs, or the service broke its word. */
  #vmoOf(handle: number, f: FileLife): Vmo {
    const object = this.#s.world.kernel.handles.entry(handle)?.object;
    if (!(object instanceof Vmo) || object.pagerKoid !== this.#pagerKoid.get(f.pager)) {
      throw new Error(
        `the open of file ${f.name} returned handle ${handle}, which is not a VMO of ` +
          `pager ${f.pager}`,
      );
    }
    return object;
  }
}
