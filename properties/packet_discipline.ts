/**
 * `packet-discipline`: how requests become packets (spec 3.3, 3.5; K1, K4,
 * K5, K6, K7). Same-type outstanding requests of a VMO never overlap; at most
 * one packet of a VMO sits in the port, in request-creation order; packets are
 * well formed; COMPLETE is queued once and last; a resolved request's packet
 * is withdrawn and never delivered; nothing is delivered after pager close.
 * Every page-request packet leaves its port by an event: after each step the
 * packets each port holds are exactly those the events put there and did not
 * take out (`unannounced`: a packet vanished, or appeared, with no event).
 *
 * `complete`: every detach owes its VMO's COMPLETE (spec 2.3 step 2, 3.2). A pager VMO detached
 * by a `zx_pager_detach_vmo` that returned ZX_OK (or destroyed: the `detach` event `vmo-dead`)
 * has its COMPLETE queued, at the latest by the end of the first step from then on in which no
 * packet of it is in its port (upstream `PagerProxy::OnDetach` queues `complete_request_` at once,
 * or behind the packet in flight, `QueuePacketLocked`: zircon/kernel/object/pager_proxy.cc @
 * vsrinivas/fuchsia 1a1c72bd), unless by then its port is dead or stuck or its pager is closed
 * (`OnDispatcherClose` cancels it). The detach is read from the call's return, not the kernel's
 * `detach` event; port and pager death from the trace's handle closes ({@linkcode DeliveryModel});
 * "queued" is a `packet-queued` event, which the port comparison below holds to the port itself.
 *
 * `unsent` (opt-in: {@linkcode PacketDisciplineOptions.unsent}; program runs judge it): every
 * request the kernel made reaches its port (spec 3.3, `PagerProxy::QueuePacketLocked` and
 * `OnPacketFreedLocked`: a new request is queued at once when the VMO's one packet slot is free,
 * else it waits in the VMO's FIFO and is queued the moment the slot frees). So at the end of a
 * step, a request that is outstanding (a `request` event, no `resolve` since; a cancelled
 * request's heir keeps its id) and never had a packet queued (`packet-queued`) or refused by a
 * dead port (`packet-dropped`) may only wait behind a packet of its VMO that the events put in
 * the port and did not take out. With none there, the kernel never sent it: the pager cannot
 * answer it and its waiters hang (userS28k's v3b drops a READ's packet). Exempt: a VMO detached
 * or whose pager closed, or whose port is dead or slot stuck by the trace's closes
 * ({@linkcode DeliveryModel}). Scenario runs find such a loss as a hang (no-lost-requests); a
 * program run has no liveness check, and its janitor's pager close wakes the waiters with a
 * documented BAD_STATE, so only this rule sees it there.
 *
 * @module
 */

import {
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_VMO_OP_COMMIT,
} from "../kernel/constants.ts";
import type { KernelEvent, PagePacket } from "../kernel/events.ts";
import { Vmo } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import type { Port } from "../kernel/port.ts";
import { type Call, pagerVmo, StepMonitor } from "./_step_monitor.ts";
import { DeliveryModel } from "./_delivery_model.ts";
import { readRequestEnd, type RequestBound, requestBound } from "./_request_bounds.ts";

interface Outstanding {
  readonly type: "READ" | "DIRTY";
  readonly start: number;
  readonly end: number;
  /** The thread whose access made the request. */
  readonly tid: number;
}

interface VmoPackets {
  readonly outstanding: Map<number, Outstanding>;
  /**
   * Request ids of this VMO's packets in the port (0: COMPLETE), oldest first.
   * Two only for an instant: a dequeue frees the slot and queues the next
   * packet before the dequeue itself is reported.
   */
  inPort: number[];
  /**
   * Outstanding requests whose packet was queued (or refused by a dead port) at least once: a
   * packet the pager took, or `zx_port_cancel_key` cancelled, is not sent again (spec 3.3).
   */
  readonly sent: Set<number>;
  lastQueued: number;
  completeQueued: boolean;
  detached: boolean;
  pagerClosed: boolean;
}

/** Options of {@linkcode PacketDiscipline}. */
export interface PacketDisciplineOptions {
  /**
   * Judge `unsent` (the module doc): a request never queued with no packet of its VMO in the
   * port. `programMonitors` (program/run.ts) turns it on; scenario runs find the same loss as a
   * no-lost-requests hang, and keep that signature. Default false.
   */
  readonly unsent?: boolean;
  /**
   * Judge an undersized READ under `sizing` (the `#judgeShort` doc): a READ of a `zx_vmo_read`
   * or COMMIT that stops before the end of the call's range with nothing there to stop it.
   * Default true; `programMonitors` (program/run.ts) turns it off, where read-content's R5 judges
   * the same with its own model of the content, and keeps its signature.
   */
  readonly undersized?: boolean;
}

/** Checks K1, K4, K5, K6 and K7 and that withdrawn requests never reach the pager. */
/** A page-request packet the events put in a port, and the last comparison that found it there. */
interface Held {
  readonly vmo: number;
  readonly id: number;
  seen: number;
}

/** The event kinds onStepEvent judges (one set for every run, not one per checker made). */
const STEP_KINDS: ReadonlySet<KernelEvent["k"]> = new Set<KernelEvent["k"]>([
  ...DeliveryModel.KINDS,
  "ret",
  "detach",
  "request",
]);

/** The syscalls whose `ret` events {@linkcode PacketDiscipline} judges. */
function judgedReturn(name: string): boolean {
  return DeliveryModel.CALLS.has(name) || name === "zx_pager_create_vmo" ||
    name === "zx_pager_detach_vmo";
}

/** How a detach the call's return shows is named. */
const BY_CALL = "zx_pager_detach_vmo returned ZX_OK";

/** A detached pager VMO whose COMPLETE is not queued yet. */
interface Owed {
  /** The step the detach took effect in. */
  readonly step: number;
  /** What detached it, for the message. */
  readonly how: string;
  /** The VMO (null: not seen through a handle). */
  readonly vmo: Vmo | null;
}

/** The event kinds immediate judges (one set for every run, not one per checker made). */
const IMMEDIATE_KINDS: ReadonlySet<KernelEvent["k"]> = new Set([
  "request",
  "resolve",
  "packet-queued",
  "packet-dequeued",
  "packet-withdrawn",
  "packet-dropped",
  "detach",
]);

export class PacketDiscipline extends StepMonitor {
  readonly name = "packet-discipline";
  /** Whether `unsent` is judged ({@linkcode PacketDisciplineOptions.unsent}). */
  readonly #unsent: boolean;
  /** Whether an undersized READ is judged ({@linkcode PacketDisciplineOptions.undersized}). */
  readonly #undersized: boolean;
  /**
   * Requests whose end the kernel trimmed at the start of an outstanding request of their type
   * (spec 3.5 step 3), by VMO and id: seen as the `request` event is emitted, so a request
   * resolved later in the step still counts.
   */
  readonly #trimmedAt = new Set<string>();

  /** A fresh checker for one run. */
  constructor(options: PacketDisciplineOptions = {}) {
    super();
    this.#unsent = options.unsent ?? false;
    this.#undersized = options.undersized ?? true;
  }
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = STEP_KINDS;
  /** The returns it judges: the delivery model's, a pager VMO's creation and detach. */
  protected override readonly stepCalls: (name: string) => boolean = judgedReturn;
  readonly #vmos = new Map<number, VmoPackets>();
  /**
   * The same entries in the same (insertion) order, never removed as `#vmos`' never are: walked
   * at the end of a step that changed them, where a Map iterator and an entry array per VMO were
   * most of what the method allocated.
   */
  readonly #vmoList: [number, VmoPackets][] = [];
  #queued: { vmo: number; id: number; packet: PagePacket; range?: Outstanding }[] = [];
  /** Per port, the page-request packets the events say it holds (by identity). */
  readonly #ports = new Map<number, Map<PagePacket, Held>>();
  /** This step's `packet-dropped` events that name a request (a port refused its packet). */
  #refused: Extract<KernelEvent, { k: "packet-dropped" }>[] = [];
  /** Stamps the model entries one port comparison found in its port. */
  #stamp = 0;
  /**
   * VMOs this step a port reported dropping a packet of while it held none: right only for the
   * COMPLETE queued as the VMO detaches (its detach event follows in the step).
   */
  readonly #completeDropped = new Set<number>();
  /**
   * This step's `pager-closed` detaches: the VMO and its pager's koid (from its
   * `zx_pager_create_vmo` call when the run saw it), judged at the step's end against the trace's
   * closes ({@linkcode PacketDiscipline.endStep}).
   */
  readonly #pagerClosedNow: { vmo: number; pager: number | undefined }[] = [];
  /** Per VMO, its packets in a port by request id (a withdrawal names only the id). */
  readonly #packetOf = new Map<number, Map<number, { port: number; packet: PagePacket }>>();
  /** Dead ports and stuck slots, from the trace (the `complete` exemptions). */
  readonly #delivery = new DeliveryModel();
  /** Per pager VMO, the key and pager its `zx_pager_create_vmo` named. */
  readonly #created = new Map<
    number,
    { key: unknown; pager: number | undefined; port: number | undefined }
  >();
  /** Detached VMOs still owed a COMPLETE, by koid. */
  readonly #owed = new Map<number, Owed>();
  /** VMOs a detach has owed a COMPLETE once (a second detach owes none). */
  readonly #detachedOnce = new Set<number>();

  #portModel(koid: number): Map<PagePacket, Held> {
    let m = this.#ports.get(koid);
    if (m === undefined) this.#ports.set(koid, m = new Map());
    return m;
  }

  #leave(vmo: number, id: number, port: number, how: string): void {
    const of = this.#packetOf.get(vmo);
    const q = of?.get(id);
    if (q === undefined || q.port !== port) {
      this.fail(
        "unannounced",
        `vmo${vmo} packet #${id} ${how} from port ${port}, where no event put it`,
      );
      return;
    }
    of?.delete(id);
    this.#portModel(port).delete(q.packet);
  }
  /**
   * An event changed some VMO's port slots or requests since the last end of step: only then
   * can the port checks there give another answer than they last did.
   */
  #changed = false;

  #vmo(koid: number): VmoPackets {
    let v = this.#vmos.get(koid);
    if (v === undefined) {
      v = {
        outstanding: new Map(),
        inPort: [],
        sent: new Set(),
        lastQueued: 0,
        completeQueued: false,
        detached: false,
        pagerClosed: false,
      };
      this.#vmos.set(koid, v);
      this.#vmoList.push([koid, v]);
    }
    return v;
  }

  protected override readonly immediateKinds: ReadonlySet<KernelEvent["k"]> = IMMEDIATE_KINDS;

  protected override immediate(e: KernelEvent): void {
    switch (e.k) {
      case "request":
      case "resolve":
      case "packet-queued":
      case "packet-dequeued":
      case "packet-withdrawn":
      case "packet-dropped":
      case "detach":
        this.#changed = true;
    }
    switch (e.k) {
      case "request": {
        const v = this.#vmo(e.vmo);
        for (const [id, r] of v.outstanding) {
          if (r.type === e.type && r.start === e.end) this.#trimmedAt.add(`${e.vmo}:${e.id}`);
          if (r.type === e.type && r.start < e.end && e.start < r.end) {
            this.fail(
              "K1",
              `vmo${e.vmo} ${e.type} #${e.id} [${e.start},${e.end}) overlaps outstanding #${id} [${r.start},${r.end})`,
            );
          }
        }
        v.outstanding.set(e.id, { type: e.type, start: e.start, end: e.end, tid: e.tid });
        return;
      }
      case "resolve": {
        const v = this.#vmo(e.vmo);
        v.outstanding.delete(e.id);
        v.sent.delete(e.id);
        return;
      }
      case "packet-queued": {
        const v = this.#vmo(e.vmo);
        if (v.pagerClosed) this.fail("K7", `vmo${e.vmo} packet #${e.id} queued after pager close`);
        if (e.packet.command === ZX_PAGER_VMO_COMPLETE) {
          if (v.completeQueued) this.fail("K6", `vmo${e.vmo} COMPLETE queued twice`);
          v.completeQueued = true;
        } else {
          if (v.completeQueued) {
            this.fail("K6", `vmo${e.vmo} packet #${e.id} queued after COMPLETE`);
          }
          if (!v.outstanding.has(e.id)) {
            this.fail("withdrawn", `vmo${e.vmo} packet queued for request #${e.id}, which is gone`);
          }
          if (e.id <= v.lastQueued) {
            this.fail(
              "K4",
              `vmo${e.vmo} packet #${e.id} queued after #${v.lastQueued}: not in creation order`,
            );
          }
          v.lastQueued = e.id;
          if (v.outstanding.has(e.id)) v.sent.add(e.id);
        }
        v.inPort.push(e.id);
        this.#portModel(e.port).set(e.packet, { vmo: e.vmo, id: e.id, seen: 0 });
        let of = this.#packetOf.get(e.vmo);
        if (of === undefined) this.#packetOf.set(e.vmo, of = new Map());
        of.set(e.id, { port: e.port, packet: e.packet });
        this.#queued.push({
          vmo: e.vmo,
          id: e.id,
          packet: e.packet,
          range: v.outstanding.get(e.id),
        });
        return;
      }
      case "packet-dequeued": {
        const v = this.#vmo(e.vmo);
        const id = v.inPort.shift();
        if (id === undefined) this.fail("K4", `vmo${e.vmo} packet dequeued that was never queued`);
        if (v.pagerClosed) this.fail("K7", `vmo${e.vmo} packet delivered after pager close`);
        if (id !== 0 && !v.outstanding.has(id)) {
          this.fail("withdrawn", `vmo${e.vmo} packet of resolved request #${id} delivered`);
        }
        const held = this.#portModel(e.port).get(e.packet);
        if (held === undefined) {
          this.fail(
            "unannounced",
            `port ${e.port} delivered a packet of vmo${e.vmo} no event put there`,
          );
        } else this.#leave(held.vmo, held.id, e.port, "dequeued");
        return;
      }
      case "packet-withdrawn": {
        const v = this.#vmo(e.vmo);
        const i = v.inPort.indexOf(e.id);
        if (i < 0) {
          this.fail("K4", `vmo${e.vmo} withdrew packet #${e.id}, which is not in the port`);
        }
        v.inPort.splice(i, 1);
        this.#leave(e.vmo, e.id, e.port, "withdrawn");
        return;
      }
      case "packet-dropped": {
        // Two kinds. A request's packet a dead port would not take names its request (id > 0;
        // pager_proxy `#pump`): nothing was in the port. Else (id 0) one event per page-request
        // packet a dying port held: the VMO's own oldest packet there, which the events put
        // there and did not take out; or, with none there, the COMPLETE a dead port would not
        // take, which is queued as the VMO detaches: its detach event comes in the same step.
        if (e.id !== 0) {
          this.#refused.push(e);
          const v = this.#vmo(e.vmo);
          if (v.outstanding.has(e.id)) v.sent.add(e.id);
          return;
        }
        const id = this.#vmo(e.vmo).inPort.shift();
        if (id === undefined) this.#completeDropped.add(e.vmo);
        else this.#leave(e.vmo, id, e.port, "dropped");
        return;
      }
      case "detach": {
        this.#completeDropped.delete(e.vmo);
        const v = this.#vmo(e.vmo);
        v.detached = true;
        if (e.why === "pager-closed") v.pagerClosed = true;
        const left = [...v.outstanding.keys()];
        if (left.length > 0) {
          this.fail("K6", `vmo${e.vmo} requests ${left.map((id) => `#${id}`)} outlive ${e.why}`);
        }
        const unread = v.inPort.find((id) => id !== 0);
        if (unread !== undefined) {
          this.fail("K6", `vmo${e.vmo} packet #${unread} not withdrawn at ${e.why}`);
        }
        return;
      }
    }
  }

  /**
   * `sizing`: a request lies inside the pages the access that raised it touches, translated to
   * the pager root (spec 3.4; {@linkcode requestBound}). Without it a kernel that widens a READ
   * over absent pages nobody asked for (a "read-ahead" batch) passes every scenario: the extra
   * pages are absent and unrequested (K1, K2 hold), the service supplies them, and only the pager
   * sees packets larger than upstream's (`Pager.VmarRemapTest`: one page per fault).
   */
  #judgeSize(e: KernelEvent & { k: "request" }, call: Call | undefined, world: World): void {
    if (call === undefined || call.tid !== e.tid) return;
    const kernel = world.kernel;
    const b = requestBound(call, e.vmo, kernel.pageSize, this.vmoOfHandle, kernel.rootVmar);
    if (b === undefined) return;
    if (e.start >= b.first && e.end <= b.last) {
      if (this.#undersized && e.type === "READ") this.#judgeShort(e, call, b, world);
      return;
    }
    // A request past the VMO's end is page-state's K2 (a READ within the VMO size) or dirty-state's
    // K3 (a DIRTY for present content: "runs past the end of the VMO"), judged in every run
    // whatever call raised it: sizing says nothing of it (docs/rules.md, session 33), so one
    // request past the end signs one way.
    const root = pagerVmo(world, e.vmo);
    if (root !== undefined && e.end > root.pageCount) return;
    this.fail(
      "sizing",
      `t${e.tid} ${b.what} asked ${e.type} #${e.id} [${e.start},${e.end}) of vmo${e.vmo}, ` +
        `outside the pages it touches there [${b.first},${b.last}): a request covers only pages ` +
        `its access needs (spec 3.4; upstream pager.cc tests hold each packet's range exactly)`,
    );
  }

  /**
   * `sizing`, undersized: a READ raised by a buffer-less `zx_vmo_read` or a COMMIT
   * (`zx_vmo_op_range`) of the pager root itself, or of a slice or reference of it (they hold no
   * pages of their own), extends to the end of the call's range `b` (spec 3.4: a READ "extends
   * over the remaining pages the operation intends to touch (vmo_read: to the end of the read;
   * commit: to the end of the range)"). It may stop earlier only where upstream's request stops:
   * at the VMO's end, at the first page that already has content in the root (any slot: a page,
   * a marker, a zero interval; spec 3.4, and read-content's R5 with its `LookupCursor::ReadRequest`
   * reference), or at the start of an outstanding READ (spec 3.5 step 3: upstream
   * `PageSource::PopulateRequestLocked` cuts the caller's length only there, `request->len_ =
   * node->offset_ - request->offset_`, zircon/kernel/vm/page_source.cc @ misttech/fuchsia
   * ce4be33a). Writes (at most 16 pages a request),
   * faults (one page) and accesses through a clone (a page an intermediate clone owns or its
   * limit stops the READ) are not judged here. Without it a kernel whose READ stops a page short
   * passes every scenario: the reader asks again for the rest and every read returns its bytes;
   * only the pager sees two packets where upstream sends one (userS32b's variant (e)). Program
   * runs leave it to read-content's R5 ({@linkcode PacketDisciplineOptions.undersized}).
   */
  #judgeShort(e: KernelEvent & { k: "request" }, call: Call, b: RequestBound, world: World): void {
    if (e.end >= b.last || this.#trimmedAt.has(`${e.vmo}:${e.id}`)) return;
    const a = call.args;
    const whole = (call.name === "zx_vmo_read" && a[3] === undefined) ||
      (call.name === "zx_vmo_op_range" && a[1] === ZX_VMO_OP_COMMIT);
    if (!whole) return;
    const root = pagerVmo(world, e.vmo);
    if (root === undefined || e.end >= root.slots.length) return;
    for (let v: Vmo | null = this.vmoOfHandle(a[0]) ?? null; v !== root; v = v.parent) {
      if (v === null || v.childKind === "clone") return;
    }
    // Upstream's READ from the same start would have stopped here (a page with content, or the
    // kernel's own list too: an outstanding READ starting there that the events missed).
    const stops = (p: number) =>
      root.slots[p] !== undefined ||
      root.source?.outstanding("READ").some((r) => r.start === p) === true;
    if (readRequestEnd(e.end, Math.min(b.last, root.slots.length), stops) === e.end) return;
    this.fail(
      "sizing",
      `t${e.tid} ${b.what} asked READ #${e.id} [${e.start},${e.end}) of vmo${e.vmo}, ` +
        `which stops before page ${e.end}: absent, not requested, inside the VMO and the pages ` +
        `the call touches there [${b.first},${b.last}); a READ extends to the end of the read ` +
        `or commit, cut only at a page with content, an outstanding READ or the VMO's end ` +
        `(spec 3.4)`,
    );
  }

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    if (e.k === "request") {
      this.#judgeSize(e, call, world);
      return;
    }
    this.#delivery.hear(e, call, this.entryOf);
    if (e.k === "detach") {
      // A destruction owes a COMPLETE: the trace shows no VMO's death, so its event says when.
      // (A `detach` event of a zx_pager_detach_vmo owes it from then too: never later than the
      // call's return, which owes it by itself.)
      if (e.why === "pager-closed") {
        this.#pagerClosedNow.push({
          vmo: e.vmo,
          pager: this.#created.get(e.vmo)?.pager ?? pagerVmo(world, e.vmo)?.pagerKoid,
        });
      } else {
        const how = e.why === "vmo-dead" ? "its destruction" : "the kernel's detach event";
        this.#owe(e.vmo, how, pagerVmo(world, e.vmo) ?? null, world.step);
      }
      return;
    }
    if (e.k !== "ret" || call === undefined || call.name !== e.name || e.status !== ZX_OK) return;
    if (e.name === "zx_pager_create_vmo") {
      const vmo = this.vmoOf(e.handle);
      if (vmo !== undefined) {
        this.#created.set(vmo.koid, {
          key: call.args[3],
          pager: this.entry(call.args[0])?.object.koid,
          port: this.entry(call.args[2])?.object.koid,
        });
      }
    } else if (e.name === "zx_pager_detach_vmo") {
      const vmo = this.vmoOf(call.args[1]);
      if (vmo !== undefined) {
        this.#owe(vmo.koid, BY_CALL, vmo, world.step);
      }
    }
  }

  /** The first detach of `koid` owes it a COMPLETE from this step on. */
  #owe(koid: number, how: string, vmo: Vmo | null, step: number): void {
    const owed = this.#owed.get(koid);
    // The call that did it names the detach better than the kernel's event of the same step.
    if (owed?.step === step && how === BY_CALL) this.#owed.set(koid, { step, how, vmo });
    if (this.#detachedOnce.has(koid)) return;
    this.#detachedOnce.add(koid);
    this.#owed.set(koid, { step, how, vmo });
  }

  /**
   * `complete`: each owed VMO has its COMPLETE queued once none of its packets is in its port,
   * unless its port is dead or stuck, or its pager closed, by the trace's closes.
   */
  #judgeOwed(world: World): void {
    const handles = this.handlesSeen();
    for (const [koid, owed] of this.#owed) {
      const v = this.#vmo(koid);
      if (v.completeQueued) {
        this.#owed.delete(koid);
        continue;
      }
      if (v.inPort.length > 0) continue;
      const vmo = owed.vmo ?? pagerVmo(world, koid);
      const created = this.#created.get(koid);
      const pager = created?.pager ?? vmo?.pagerKoid;
      // (`portDead` asks whether every handle of an object the run has seen was closed: of the
      // pager here.)
      if (
        (vmo !== undefined && this.#delivery.undeliverable(vmo, handles)) ||
        (pager !== undefined && this.#delivery.portDead(pager, handles))
      ) {
        this.#owed.delete(koid);
        continue;
      }
      const key = created?.key ?? vmo?.key;
      const port = created?.port ?? vmo?.proxy?.port.koid;
      this.fail(
        "complete",
        `vmo${koid} (key ${key}) was detached at step ${owed.step} (${owed.how}), but no COMPLETE ` +
          `packet for key ${key} was queued${
            port === undefined ? "" : ` on port${port}`
          }, though ` +
          `no packet of it is pending there and its port and pager still have open handles`,
      );
    }
  }

  /**
   * `exempt`: a request's packet a port refused (`packet-dropped` naming a request) was refused
   * by a dead port only. A pager's packets are preallocated and exempt from the port's packet
   * limit (the proxy's one `PortPacket packet_`, whose allocator is the proxy itself, "reused for
   * all of the source's page requests": zircon/kernel/object/pager_proxy.h;
   * `PortDispatcher::Queue` counts only ephemeral packets against
   * `kMaxAllocatedPacketCountPerPort`, port_dispatcher.cc @ gnoliyil/fuchsia 97bb48b9),
   * so a port that still has a handle takes it however many user packets it holds. Judged at
   * the step's end: a port's death is for good, so one alive then was alive at the refusal.
   * (Whether a handle is left is the handle table's count, not the port's queue or its limit.)
   */
  #judgeRefused(world: World): void {
    const ports = world.kernel.ports;
    for (const e of this.#refused) {
      const port = ports.find((p) => p.koid === e.port);
      if (port !== undefined && port.handleCount > 0) {
        this.fail(
          "exempt",
          `port ${e.port}, which has ${port.handleCount} handle(s), refused vmo${e.vmo}'s packet ` +
            `#${e.id} (holding ${port.depth} packets): a pager's packets are exempt from the limit`,
        );
      }
    }
    this.#refused = [];
  }

  /**
   * True if the page-request packets `port` holds are exactly those `model` holds (as sets, the
   * comparison below makes), found without copying the queue: every one is in the model, and
   * the distinct ones (model entries stamped by this look) are as many as the model's.
   */
  #sameAsModel(port: Port, model: Map<PagePacket, Held> | undefined): boolean {
    const stamp = ++this.#stamp;
    let found = 0;
    for (let i = 0; i < port.depth; i++) {
      const p = port.packetAt(i);
      if (p.type !== ZX_PKT_TYPE_PAGE_REQUEST) continue;
      const held = model?.get(p as PagePacket);
      if (held === undefined) return false;
      if (held.seen !== stamp) {
        held.seen = stamp;
        found++;
      }
    }
    return found === (model?.size ?? 0);
  }

  /**
   * `pager-closed`: a VMO detaches because its pager closed only in a step that closed the
   * pager's last handle, by the trace's closes (`zx_handle_close` ZX_OK, a consuming
   * `zx_handle_replace`, whose new handle keeps the pager open): upstream a pager's
   * `on_zero_handles` runs when its last handle goes, and a replace hands the object to the new
   * handle first (`sys_handle_replace` @ vsrinivas/fuchsia 0060d78a; spec 3.10 "Pager handle
   * closed"). The kernel's `why` says which detach it is; whether the pager is closed is the
   * trace's.
   */
  #judgePagerClosed(): void {
    const handles = this.handlesSeen();
    const now = this.#pagerClosedNow;
    for (let i = 0; i < now.length; i++) {
      const { vmo, pager } = now[i];
      if (pager === undefined || this.#delivery.portDead(pager, handles)) continue;
      this.fail(
        "pager-closed",
        `vmo${vmo} detached as pager-closed, but pager${pager} still has an open handle by the trace's closes`,
      );
    }
    now.length = 0;
  }

  protected override endStep(world: World): void {
    if (this.#refused.length > 0) this.#judgeRefused(world);
    if (this.#pagerClosedNow.length > 0) this.#judgePagerClosed();
    // (Looked at only when it holds something: an iterator per step cost more than the check.)
    if (this.#completeDropped.size > 0) {
      for (const vmo of this.#completeDropped) {
        this.fail("unannounced", `a port dropped a packet of vmo${vmo}, which had none there`);
      }
      this.#completeDropped.clear();
    }
    // (Indexed loops over arrays: an array iterator per loop per step was most of what a checked
    // run allocated in this method, per the sampling heap profiler.)
    const queued = this.#queued;
    for (let i = 0; i < queued.length; i++) {
      const q = queued[i];
      const vmo = pagerVmo(world, q.vmo);
      const p = q.packet;
      const ps = world.kernel.pageSize;
      const complete = p.command === ZX_PAGER_VMO_COMPLETE;
      const ok = p.type === ZX_PKT_TYPE_PAGE_REQUEST && p.status === ZX_OK && p.flags === 0 &&
        p.key === vmo?.key &&
        (complete
          ? p.offset === 0 && p.length === 0
          : q.range !== undefined && p.offset === q.range.start * ps &&
            p.length === (q.range.end - q.range.start) * ps && p.length > 0);
      if (!ok) {
        this.fail(
          "K5",
          `vmo${q.vmo} malformed packet: ${malformation(p, q.id, q.range, vmo?.key, ps)} ` +
            JSON.stringify(p),
        );
      }
    }
    if (this.#queued.length > 0) this.#queued = [];
    // Every step: a packet that leaves a port silently changes no event, so no flag can say so.
    const ports = world.kernel.ports;
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i];
      const model = this.#ports.get(port.koid);
      if (this.#sameAsModel(port, model)) continue;
      const actual = new Set(
        port.packets().filter((p) => p.type === ZX_PKT_TYPE_PAGE_REQUEST) as PagePacket[],
      );
      for (const [packet, q] of model ?? []) {
        if (!actual.has(packet)) {
          this.fail(
            "unannounced",
            `vmo${q.vmo} packet #${q.id} left port ${port.koid} without a packet-withdrawn or -dequeued event`,
          );
        }
      }
      for (const packet of actual) {
        if (!model?.has(packet)) {
          this.fail("unannounced", `port ${port.koid} holds a page-request packet no event queued`);
        }
      }
    }
    if (this.#owed.size > 0) this.#judgeOwed(world);
    if (!this.#changed) return;
    this.#changed = false;
    const list = this.#vmoList;
    for (let i = 0; i < list.length; i++) {
      const koid = list[i][0], v = list[i][1];
      if (v.inPort.length > 1) {
        this.fail("K4", `vmo${koid} has packets ${v.inPort.map((id) => `#${id}`)} in the port`);
      }
      // (The first such id, as `find` gave it, without a closure per VMO per step.)
      let stale: number | undefined;
      for (let k = 0; k < v.inPort.length; k++) {
        const id = v.inPort[k];
        if (id !== 0 && !v.outstanding.has(id)) {
          stale = id;
          break;
        }
      }
      if (stale !== undefined) {
        this.fail("withdrawn", `vmo${koid} packet of resolved request #${stale} left in the port`);
      }
      if (this.#unsent && v.inPort.length === 0 && v.outstanding.size > v.sent.size) {
        this.#judgeUnsent(koid, v, world);
      }
    }
  }

  /**
   * `unsent`: VMO `koid` has no packet in its port, yet an outstanding request of it was never
   * queued (the module doc). Called only when some outstanding request has no packet sent.
   */
  #judgeUnsent(koid: number, v: VmoPackets, world: World): void {
    if (v.detached || v.pagerClosed) return;
    let id: number | undefined, r: Outstanding | undefined;
    for (const [k, o] of v.outstanding) {
      if (v.sent.has(k)) continue;
      id = k;
      r = o;
      break;
    }
    if (id === undefined || r === undefined) return;
    const vmo = pagerVmo(world, koid);
    if (vmo !== undefined && this.#delivery.undeliverable(vmo, this.handlesSeen())) return;
    const port = this.#created.get(koid)?.port ?? vmo?.proxy?.port.koid;
    this.fail(
      "unsent",
      `vmo${koid} ${r.type} request #${id} pages [${r.start},${r.end}) (t${r.tid}) is ` +
        `outstanding, but no packet of it was queued on ${
          port === undefined ? "its port" : `port${port}`
        }, and no packet of the VMO is there for it to wait behind: the kernel never sent it, ` +
        `so the pager cannot answer it and its waiters hang (spec 3.3: a request is queued ` +
        `at once, or as soon as the VMO's packet slot frees)`,
    );
  }
}

/**
 * What is wrong with a packet K5 refused, in words (trial32b: `K5: vmo1005 malformed packet
 * {...,"offset":0,"length":64}` left the reader to find that request #1 is [0,2), two pages): the
 * first condition of {@linkcode PacketDiscipline}'s K5 test it fails, in that test's order.
 *
 * @example
 * ```ts
 * import { malformation } from "./packet_discipline.ts";
 * import { ZX_OK, ZX_PKT_TYPE_PAGE_REQUEST } from "../kernel/constants.ts";
 * const p = { type: ZX_PKT_TYPE_PAGE_REQUEST, key: 1, status: ZX_OK, command: 0, flags: 0, offset: 0, length: 64 };
 * console.assert(malformation(p, 1, { type: "READ", start: 0, end: 2 }, 1, 64) ===
 *   "length 64 against READ request #1 [0,2) (128 bytes: 2 pages)");
 * ```
 */
export function malformation(
  p: PagePacket,
  id: number,
  range: { readonly type: string; readonly start: number; readonly end: number } | undefined,
  key: number | undefined,
  pageSize: number,
): string {
  if (p.type !== ZX_PKT_TYPE_PAGE_REQUEST) return `type ${p.type}, not ZX_PKT_TYPE_PAGE_REQUEST`;
  if (p.status !== ZX_OK) return `status ${p.status}, not ZX_OK`;
  if (p.flags !== 0) return `flags ${p.flags}, not 0`;
  if (p.key !== key) {
    return key === undefined
      ? `key ${p.key}, but its VMO is gone`
      : `key ${p.key}, not the VMO's key ${key}`;
  }
  if (p.command === ZX_PAGER_VMO_COMPLETE) {
    return `COMPLETE with offset ${p.offset} and length ${p.length}, not 0 and 0`;
  }
  if (range === undefined) return `packet of request #${id}, which is not outstanding`;
  const of = `${range.type} request #${id} [${range.start},${range.end})`;
  const bytes = (range.end - range.start) * pageSize;
  const pages = `${range.end - range.start} page${range.end - range.start === 1 ? "" : "s"}`;
  if (p.offset !== range.start * pageSize) {
    return `offset ${p.offset} against ${of} (offset ${
      range.start * pageSize
    }: page ${range.start})`;
  }
  if (p.length !== bytes) return `length ${p.length} against ${of} (${bytes} bytes: ${pages})`;
  return `length 0 for ${of}: a READ or DIRTY packet has a nonzero length`;
}
