/**
 * `page-state`: how page slots may change (K2, K9, K10, K13, K15, K26). A READ
 * request covers only absent pages inside the VMO; a page appears only by a
 * supply (Clean from a committed aux page, a marker from an uncommitted one,
 * with the aux page's bytes) and the aux range is decommitted, or as a zero
 * slot by OP_ZERO or a grow; a page disappears only by detach (Clean pages and
 * markers only), VMO death, eviction (Clean pages), WRITEBACK_END (a zero slot
 * written back) or a shrink; bytes change only where a thread wrote (zero
 * slots and markers hold zeros, so OP_DIRTY and COMMIT turning them into Dirty
 * pages change none; `zx_vmar_op_range(COMMIT)` commits the mapped VMOs as
 * `zx_vmo_op_range(COMMIT)` does; a `zx_bti_pin` commits the pages it pins so,
 * a zero slot of a TRAP_DIRTY VMO excepted, and a write pin makes the Clean
 * and AwaitingClean pages and markers it pins Dirty, not under TRAP_DIRTY); OP_FAIL changes nothing; after `zx_pager_detach_vmo` no
 * Clean page or marker remains. Which dirty-state moves are legal is
 * dirty-state's (K17); this checker only ties each move to a cause.
 *
 * @module
 */

import {
  statusName,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_VMAR_OP_COMMIT,
  ZX_VMO_OP_ALWAYS_NEED,
} from "../kernel/constants.ts";
import { present } from "../kernel/assert.ts";
import type { KernelEvent, SlotKind } from "../kernel/events.ts";
import { Page, type PageTouches, type Slot, slotKind, type Vmo } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import { AuxSnapshot } from "./_aux_snapshot.ts";
import { EvictionOracle } from "./_evictable.ts";
import { sameBytes, zeroPage } from "./_bytes.ts";
import { PageMap } from "./_page_map.ts";
import { StepSet } from "./_step_set.ts";
import { sortPages } from "./_slot_log.ts";
import {
  type Call,
  pagerVmo,
  pinCovers,
  type PinRange,
  pinRange,
  StepMonitor,
  TID_KIND_BITS,
  VMO_KIND_BITS,
} from "./_step_monitor.ts";

interface SlotCopy {
  readonly kind: SlotKind;
  readonly data: Uint8Array | null;
}

/** A slot's kind and bytes: markers and zero slots read as zeros; absent has none. */
function copy(s: Slot, pageSize: number): SlotCopy {
  const kind = slotKind(s);
  if (kind === "absent") return { kind, data: null };
  if (kind === "marker" || kind === "zero") return { kind, data: zeroPage(pageSize) };
  return { kind, data: (s as Page).peek().slice() };
}

/** A slot's kind and its bytes as they are now, not copied (to compare at once, never to keep). */
function view(s: Slot, pageSize: number): SlotCopy {
  const kind = slotKind(s);
  if (kind === "absent") return { kind, data: null };
  if (kind === "marker" || kind === "zero") return { kind, data: zeroPage(pageSize) };
  return { kind, data: (s as Page).peek() };
}

/** What the step's syscall may do to slots besides writing and supplying. */
interface StepCause {
  /** OP_FAIL: nothing may change (K15 instead of K26). */
  readonly failing: boolean;
  /** OP_DIRTY: non-Dirty content becomes Dirty. */
  readonly opDirty: boolean;
  /** WRITEBACK_BEGIN/END: Dirty to AwaitingClean to Clean; written-back zero slots go absent. */
  readonly writeback: boolean;
  /** `zx_vmo_op_range` (COMMIT of a zero slot allocates a Dirty page). */
  readonly vmoOp: boolean;
  /**
   * `zx_vmar_op_range(COMMIT)`: "semantics otherwise as described by `zx_vmo_op_range()`
   * ZX_VMO_OP_COMMIT" for every mapped VMO's range (docs/reference/syscalls/vmar_op_range.md;
   * `VmAddressRegion::RangeOp`, zircon/kernel/vm/vm_address_region.cc @ misttech/fuchsia
   * 733295f0): a zero slot becomes a Dirty page, a marker a Clean one, as under
   * `zx_vmo_op_range`, on a VMO that is not the call's handle.
   */
  readonly vmarCommit: boolean;
  /** `zx_bti_pin`: the pages it pins ({@linkcode pinRange}). */
  readonly pin: PinRange | undefined;
  /** The kernel evicted a Clean page. */
  readonly evict: boolean;
  /** `zx_vmo_set_size`: a grow adds zero slots (or gaps), a shrink drops the tail. */
  readonly resize: boolean;
  /**
   * `zx_vmo_write` given a user buffer: the (root) VMO it writes. Each page is looked up for
   * writing, so made Dirty, before its bytes are copied from user memory, and that copy may
   * fault and park, or fail and end the call (`VmoPages.access`; conformance W77: a write whose
   * source faults partway leaves what it dirtied Dirty), so a page may become Dirty with no store.
   */
  readonly userWrite: Vmo | undefined;
}

/** The code of a change the step's cause does not allow: K15 under OP_FAIL, else K26. */
function changeCode(cause: StepCause): string {
  return cause.failing ? "K15" : "K26";
}

/** A number naming page `page` of the VMO with koid `vmo` (pages stay below 2^20). */
function slotKey(vmo: number, page: number): number {
  return vmo * 2 ** 21 + page;
}

function causeOf(
  call: Call | undefined,
  pinned: Vmo | undefined,
  userWrite: Vmo | undefined,
  pageSize: number,
): StepCause {
  const pagerOp = call?.name === "zx_pager_op_range" ? call.args[1] : undefined;
  return {
    failing: pagerOp === ZX_PAGER_OP_FAIL,
    opDirty: pagerOp === ZX_PAGER_OP_DIRTY,
    writeback: pagerOp === ZX_PAGER_OP_WRITEBACK_BEGIN || pagerOp === ZX_PAGER_OP_WRITEBACK_END,
    vmoOp: call?.name === "zx_vmo_op_range",
    vmarCommit: call?.name === "zx_vmar_op_range" && call.args[1] === ZX_VMAR_OP_COMMIT,
    pin: call?.name === "zx_bti_pin" && pinned !== undefined
      ? pinRange(pinned, call.args, pageSize)
      : undefined,
    evict: call?.name === "kernel_evict",
    resize: call?.name === "zx_vmo_set_size",
    userWrite,
  };
}

/** Where a page was when its VMO was last compared (updated in place as it is recorded again). */
interface Place {
  vmo: Vmo;
  page: number;
}

/** What a checker knows of one pager VMO as the last step left it. */
interface VmoBefore {
  /** Slot objects (pages by identity). */
  readonly slots: Slot[];
  /** Their kinds (a page's dirty state changes in place). */
  readonly kinds: SlotKind[];
  /** Paranoid mode only: every slot's bytes, copied. */
  readonly copies: SlotCopy[] | null;
  dead: boolean;
}

/** Options of {@linkcode PageState}. */
export interface PageStateOptions {
  /**
   * Compare every page of every pager VMO after every step, bytes included,
   * from private copies: finds a change no event names and no access touched
   * (a stale reference written behind the kernel's back). Slow; CI runs a
   * sample of the corpus this way.
   */
  readonly paranoid?: boolean;
}

/** The event kinds immediate judges (one set for every run, not one per checker made). */
const IMMEDIATE_KINDS: ReadonlySet<KernelEvent["k"]> = new Set(["call"]);

/**
 * Checks every slot change of every pager VMO against the step's events. A
 * step is judged on the VMOs it can have changed: those its events and the
 * handles of its syscalls name, those whose life or size changed, and those
 * holding a page whose bytes it touched ({@linkcode PageTouches}); their
 * slots are compared by identity and kind, and only touched pages by bytes.
 * `paranoid` compares everything, every step.
 */
export class PageState extends StepMonitor {
  readonly name = "page-state";
  readonly #paranoid: boolean;
  readonly #before = new Map<Vmo, VmoBefore>();
  /** Which pager VMO held each page when its VMO was last compared, and at which page. */
  #where = new PageMap<Place>();
  /**
   * A page was recorded at a second place while the first still held it (or moved, in a way
   * that looked so): a VMO's touched pages are then found by a walk of all its slots, since
   * `#where` names one place per page.
   */
  #aliased = false;
  /** The pages {@linkcode PageState.#compare} looks at (the array is reused). */
  readonly #pending: number[] = [];
  /**
   * The step's touched pages that had a place in `#where`, and their places, the first
   * `#placedN` (the arrays are reused; set once touches are read, empty on a second look).
   */
  readonly #placed: Place[] = [];
  readonly #placedPages: Page[] = [];
  #placedN = 0;
  /** Koids of VMOs this step's events named. */
  readonly #named = new StepSet<number>();
  /** The koid last added to `#named` this step. */
  #lastNamed: number | undefined = undefined;
  /** VMOs the handles of this step's syscalls named, and those syscalls. */
  readonly #handled = new StepSet<Vmo>();
  readonly #calls = new StepSet<Call>();
  /** The call of the last event judged in this step (its handles are in `#handled`). */
  #lastCall: Call | undefined = undefined;
  /** This step's READ request events, the first `#requestsN` (the array is reused). */
  readonly #requests: Extract<KernelEvent, { k: "request" }>[] = [];
  #requestsN = 0;
  /** The stepping thread's syscall (also one that resumed from a block in this step). */
  readonly #supplied = new Map<number, Call>();
  readonly #written = new Set<number>();
  readonly #detached = new Map<number, string>();
  readonly #supplyRets: Call[] = [];
  readonly #touched = new StepSet<Vmo>();
  #stepCall: Call | undefined;
  /** Per thread in a `zx_vmo_write` given a user buffer: the root VMO it writes. */
  readonly #userWrites = new Map<number, Vmo>();
  /**
   * A `zx_vmar_op_range` ran: it changes the VMOs mapped in its range, named by no handle and no
   * event (a COMMIT of a zero slot), so every pager VMO is compared.
   */
  #vmarOp = false;
  #cause: StepCause | undefined;
  readonly #aux = new AuxSnapshot();
  /** The pins in force, by PMT handle ({@linkcode pinRange}). */
  readonly #pins = new Map<number, PinRange>();
  /** Which pages may be evicted (spec 6.3), from the pins above and the ALWAYS_NEED hints. */
  readonly #evict = new EvictionOracle();
  /** This step's `kernel_evict` (its thread may have ended in the step) and its status. */
  #evictCall: Call | undefined = undefined;
  #evictStatus = 0;
  /** This step's `zx_vmo_get_size` of an environment eviction, the look before it chooses. */
  #evictLook: Call | undefined = undefined;
  /**
   * The pages whose slot object or kind the last {@linkcode PageState.#compare} found changed,
   * the first `#changedN` (the array is reused): what {@linkcode PageState.#remember} rewrites.
   */
  readonly #changed: number[] = [];
  #changedN = 0;
  /** The step whose touches were last judged. */
  #judgedStep = -1;

  constructor(options: PageStateOptions = {}) {
    super();
    this.#paranoid = options.paranoid ?? false;
  }

  protected override readonly immediateKinds: ReadonlySet<KernelEvent["k"]> = IMMEDIATE_KINDS;

  protected override immediate(e: KernelEvent, step: number): void {
    if (e.k === "call" && e.name === "zx_pager_supply_pages") {
      this.#aux.take(e.tid, step, e.args, this.vmoOf(e.args[4]));
    }
  }

  protected override onStepEvent(
    e: KernelEvent,
    call: Call | undefined,
    world: World,
    bit: number,
  ): void {
    // (The kind is read once: an event's field loads are megamorphic, ~19 event shapes.)
    const k = e.k;
    // The step's call is the first event's call of the stepping thread (looked for until found).
    if (this.#stepCall === undefined && call !== undefined) {
      const tid = (bit & TID_KIND_BITS) !== 0 ? (e as { readonly tid: number }).tid : undefined;
      if (tid === undefined || tid === world.running?.tid) this.#stepCall = call;
    }
    // (A step's events mostly name one VMO after another: the last one named is not added again.)
    if ((bit & VMO_KIND_BITS) !== 0) {
      const koid = (e as { readonly vmo: number }).vmo;
      if (koid !== this.#lastNamed) this.#named.add(this.#lastNamed = koid);
    }
    if (k === "call") {
      // A write given a user buffer: its VMO as the handle named it when the call began.
      if (e.name === "zx_vmo_write" && e.args.length > 3) {
        const v = this.vmoOf(e.args[0]);
        if (v !== undefined) this.#userWrites.set(e.tid, v.root);
      } else if (this.#userWrites.size > 0) this.#userWrites.delete(e.tid); // (kept past its ret: judged at step end)
      if (e.name === "zx_vmo_op_range" && e.args[1] === ZX_VMO_OP_ALWAYS_NEED) {
        this.#hint(e.args, false);
      }
    }
    // The handles of the syscall an event belongs to (one resumed from a block started earlier);
    // the events of one call come together, so the last call seen is asked first.
    if (call !== undefined && call !== this.#lastCall) {
      this.#lastCall = call;
      if (call.name === "zx_vmar_op_range") this.#vmarOp = true;
      if (!this.#calls.has(call)) {
        this.#calls.add(call);
        const vmos = this.callVmos(call);
        for (let i = 0; i < vmos.length; i++) this.#handled.add(vmos[i].root);
      }
    }
    switch (k) {
      case "request":
        // DIRTY requests cover present content by design (K3 is dirty-state's).
        if (e.type === "READ") {
          if (this.#requestsN < this.#requests.length) this.#requests[this.#requestsN] = e;
          else this.#requests.push(e);
          this.#requestsN++;
        }
        break;
      case "supply":
        if (e.inserted && call !== undefined) this.#supplied.set(slotKey(e.vmo, e.page), call);
        return;
      case "store": {
        const ps = world.kernel.pageSize;
        const first = Math.floor(e.offset / ps);
        const last = Math.floor((e.offset + Math.max(e.bytes.length, 1) - 1) / ps);
        for (let p = first; p <= last; p++) this.#written.add(slotKey(e.vmo, p));
        return;
      }
      case "detach": {
        // Which detach this is comes from the call, not the event's `why` (the kernel's word): one
        // inside a `zx_pager_detach_vmo` of this VMO must decommit its Clean pages (K13, checked at
        // the step's end); a detach no such call asked for may not drop any.
        const asked = call?.name === "zx_pager_detach_vmo" &&
          this.vmoOf(call.args[1])?.koid === e.vmo;
        this.#detached.set(e.vmo, asked ? "detach" : e.why === "detach" ? "unasked" : e.why);
        return;
      }
      case "ret":
        if (e.name === "kernel_evict" && call !== undefined) {
          this.#evictCall = call;
          this.#evictStatus = e.status;
        }
        if (e.name === "zx_vmo_get_size" && call?.name === e.name && isEvictor(world)) {
          this.#evictLook = call;
        }
        if (e.name === "zx_pager_supply_pages" && e.status === ZX_OK && call !== undefined) {
          this.#supplyRets.push(call);
        }
        // The pins in force (a PMT is unpinned by zx_pmt_unpin; closing it leaves it pinned).
        if (e.status === ZX_OK && call?.name === e.name) {
          if (e.name === "zx_bti_pin" && e.handle !== undefined) {
            const v = this.vmoOf(call.args[2]);
            const pin = v === undefined ? undefined : pinRange(v, call.args, world.kernel.pageSize);
            if (pin !== undefined) this.#pins.set(e.handle, pin);
          } else if (e.name === "zx_pmt_unpin") this.#pins.delete(call.args[0] as number);
          else if (e.name === "zx_vmo_op_range" && call.args[1] === ZX_VMO_OP_ALWAYS_NEED) {
            this.#hint(call.args, true);
          }
        }
        return;
    }
  }

  /** An ALWAYS_NEED hint's call (`done` false) or its ZX_OK return ({@linkcode EvictionOracle}). */
  #hint(args: readonly unknown[], done: boolean): void {
    const v = this.vmoOf(args[0]);
    if (v !== undefined) this.#evict.hint(v, args[2], args[3], v.pageSize, done);
  }

  /**
   * An environment eviction's first step (`envEvict`'s `zx_vmo_get_size`, scenario/interpreter.ts),
   * before it asks the kernel which pages it may evict: the offer is judged here as at a
   * `kernel_evict` step, so an empty offer, after which the eviction ends with no `kernel_evict`
   * at all, is judged too (a kernel that offers nothing evicts nothing, and K26 never looked).
   */
  #checkLook(world: World, call: Call): void {
    this.#evictLook = undefined;
    const v = this.vmoOf(call.args[0]);
    if (v === undefined || v.source === null) return;
    if (world.kernel.handles.entry(call.args[0] as number)?.object !== v) return;
    const why = this.#evict.compare(
      v,
      world.kernel.evictablePages(call.args[0] as number),
      (p) => this.#pinnedAt(v, p),
    );
    if (why !== null) this.fail("K26", `${why} (spec 6.3)`);
  }

  /**
   * A `kernel_evict` step: the pages the kernel offers the environment for eviction now must be
   * exactly those spec 6.3 allows ({@linkcode EvictionOracle.compare}).
   */
  #checkOffered(world: World, call: Call): void {
    const v = this.vmoOf(call.args[0]);
    const st = this.#evictStatus;
    this.#evictCall = undefined;
    // A handle the kernel's table no longer holds for this VMO (closed as the journal still
    // names it) is syscall-contract's to judge: its BAD_HANDLE says nothing of the pages.
    if (v === undefined || v.source === null) return;
    if (world.kernel.handles.entry(call.args[0] as number)?.object !== v) return;
    // The page asked for goes iff it may be evicted: a refusal left its slot as it was.
    const p = call.args[1] as number;
    if (Number.isInteger(p) && p >= 0 && p < v.slots.length) {
      const kind = slotKind(v.slots[p]);
      if (st === ZX_OK && kind !== "absent") {
        this.fail(
          "K26",
          `vmo${v.koid} page ${p}: kernel_evict returned ZX_OK, the page stays ${kind}`,
        );
      }
      if (st !== ZX_OK && this.#evict.evictable(v, p, kind, this.#pinnedAt(v, p)) === true) {
        this.fail(
          "K26",
          `vmo${v.koid} page ${p} (clean, unpinned, no ALWAYS_NEED): kernel_evict refused it (${
            statusName(st)
          }) (spec 6.3)`,
        );
      }
    }
    const why = this.#evict.compare(
      v,
      world.kernel.evictablePages(call.args[0] as number),
      (p) => this.#pinnedAt(v, p),
    );
    if (why !== null) this.fail("K26", `${why} (spec 6.3)`);
  }

  /** Whether this step can have changed `vmo`'s slots. */
  #active(vmo: Vmo, before: VmoBefore, touched: StepSet<Vmo>): boolean {
    return this.#paranoid || this.#vmarOp || this.#named.has(vmo.koid) || this.#handled.has(vmo) ||
      touched.has(vmo) || vmo.dead !== before.dead || vmo.slots.length !== before.slots.length;
  }

  protected override endStep(world: World): void {
    // (Indexed loops over arrays here and below: an array iterator per loop per step was most of
    // what a checked run allocated in this method, per the sampling heap profiler.)
    const requests = this.#requests;
    for (let i = 0; i < this.#requestsN; i++) {
      const r = requests[i];
      const vmo = present(pagerVmo(world, r.vmo), "PageState: the VMO of an outstanding READ");
      if (r.end > vmo.pageCount) {
        this.fail("K2", `vmo${r.vmo} READ #${r.id} [${r.start},${r.end}) past the VMO end`);
      }
      for (let p = r.start; p < r.end; p++) {
        if (vmo.slots[p] !== undefined) {
          this.fail(
            "K2",
            `vmo${r.vmo} READ #${r.id} covers page ${p}, which is ${slotKind(vmo.slots[p])}`,
          );
        }
      }
    }
    // The touches are the step's: a second look at the same step (at the end of the run) has
    // already judged them, and compares slots as the step left them.
    const touches = world.step === this.#judgedStep ? null : world.kernel.pages.touches;
    this.#judgedStep = world.step;
    const touched = this.#touched;
    this.#placedN = 0;
    if (touches !== null && touches.size > 0) {
      for (let i = 0; i < touches.size; i++) {
        const page = touches.pageAt(i);
        const w = this.#where.get(page);
        if (w === undefined) continue;
        touched.add(w.vmo);
        // (Kept for #lookAt: the places are updated in place as VMOs are recorded below.)
        const n = this.#placedN++;
        if (n < this.#placed.length) {
          this.#placed[n] = w;
          this.#placedPages[n] = page;
        } else {
          this.#placed.push(w);
          this.#placedPages.push(page);
        }
      }
    }
    const vmos = world.kernel.pagerVmos;
    for (let i = 0; i < vmos.length; i++) {
      const vmo = vmos[i];
      const before = this.#before.get(vmo);
      if (before !== undefined && !this.#active(vmo, before, touched)) continue;
      const why = this.#detached.size > 0 ? this.#detached.get(vmo.koid) : undefined;
      // (A first look asks the journal too: its next answer starts from here.)
      if (before === undefined && !this.#paranoid) this.slotChanges(vmo, this.#pending);
      const same = before !== undefined && this.#compare(vmo, before, touches, why);
      if (why === "detach") {
        // A pinned Clean page stays: it cannot be decommitted (PagerDetachPinned,
        // zircon/system/utest/core/pager/pager.cc @ misttech/fuchsia b394d1c8; conformance PX8).
        const kept = vmo.slots.findIndex((s, p) => {
          const k = slotKind(s);
          return k === "marker" || k === "clean" && !this.#pinnedAt(vmo, p);
        });
        if (kept >= 0) {
          this.fail(
            "K13",
            `vmo${vmo.koid} page ${kept} is ${slotKind(vmo.slots[kept])} after detach`,
          );
        }
      }
      if (!same) this.#remember(vmo, before);
    }
    if (this.#evictCall !== undefined) this.#checkOffered(world, this.#evictCall);
    if (this.#evictLook !== undefined) this.#checkLook(world, this.#evictLook);
    const supplyRets = this.#supplyRets;
    for (let i = 0; i < supplyRets.length; i++) {
      const call = supplyRets[i];
      const aux = this.vmoOf(call.args[4]);
      if (aux === undefined || aux.source !== null) continue;
      // (Indexed, not destructured: an array iterator per supply.)
      const length = call.args[3] as number, auxOffset = call.args[5] as number;
      const ps = world.kernel.pageSize;
      for (let p = auxOffset / ps; p < (auxOffset + length) / ps; p++) {
        if (aux.slots[p] !== undefined) {
          this.fail("K10", `aux vmo${aux.koid} page ${p} still committed after a supply`);
        }
      }
    }
    this.#requestsN = 0;
    if (this.#supplied.size > 0) this.#supplied.clear();
    if (this.#written.size > 0) this.#written.clear();
    if (this.#detached.size > 0) this.#detached.clear();
    if (this.#named.size > 0) this.#named.clear();
    this.#lastNamed = undefined;
    if (this.#handled.size > 0) this.#handled.clear();
    if (this.#calls.size > 0) this.#calls.clear();
    this.#lastCall = undefined;
    if (touched.size > 0) touched.clear();
    if (this.#supplyRets.length > 0) this.#supplyRets.length = 0;
    this.#stepCall = undefined;
    this.#vmarOp = false;
    this.#cause = undefined;
  }

  /** The run passed: the aux copies' buffers are given back ({@linkcode AuxSnapshot.release}). */
  protected override finish(): void {
    this.#aux.release();
  }

  /** The run did not pass: the same, after the last step was judged; not this checker's outcome. */
  protected override judgeEnd(): boolean {
    this.#aux.release();
    return false;
  }

  /** Whether a pin in force covers page `p` of `vmo`. */
  #pinnedAt(vmo: Vmo, p: number): boolean {
    for (const pin of this.#pins.values()) if (pinCovers(pin, vmo, p)) return true;
    return false;
  }

  /** The step's cause (what its syscall may change), worked out when a slot changed. */
  #stepCause(pageSize: number): StepCause {
    const call = this.#stepCall;
    const pinned = call?.name === "zx_bti_pin" ? this.vmoOf(call.args[2]) : undefined;
    const userWrite = call?.name === "zx_vmo_write" ? this.#userWrites.get(call.tid) : undefined;
    return this.#cause ??= causeOf(call, pinned, userWrite, pageSize);
  }

  /** Records `vmo` as this step leaves it. */
  #remember(vmo: Vmo, was: VmoBefore | undefined): void {
    if (was !== undefined && was.copies === null && was.slots.length === vmo.slots.length) {
      // In place: only the slots that changed are written (and their pages located). `was` is
      // defined, so the step's #compare of this VMO listed them (a slot it did not list is the
      // same object of the same kind).
      const changed = this.#changed;
      for (let i = 0; i < this.#changedN; i++) {
        const p = changed[i];
        const s = vmo.slots[p];
        if (s instanceof Page && was.slots[p] !== s) this.#place(s, vmo, p);
        was.slots[p] = s;
        was.kinds[p] = slotKind(s);
      }
      was.dead = vmo.dead;
      return;
    }
    const slots = vmo.slots.slice();
    const kinds = new Array<SlotKind>(slots.length);
    for (let p = 0; p < slots.length; p++) {
      const s = slots[p];
      kinds[p] = slotKind(s);
      if (s instanceof Page && was?.slots[p] !== s) this.#place(s, vmo, p);
    }
    const copies = this.#paranoid ? Array.from(slots, (s) => copy(s, vmo.pageSize)) : null;
    this.#before.set(vmo, { slots, kinds, copies, dead: vmo.dead });
  }

  /**
   * Records that page `s` is at page `p` of `vmo` in its record (`#where`), noting an alias: the
   * place it was recorded at before still holds it there.
   */
  #place(s: Page, vmo: Vmo, p: number): void {
    const w = this.#where.get(s);
    if (w === undefined) {
      this.#where.set(s, { vmo, page: p });
      return;
    }
    if ((w.vmo !== vmo || w.page !== p) && this.#before.get(w.vmo)?.slots[w.page] === s) {
      this.#aliased = true;
    }
    w.vmo = vmo;
    w.page = p;
  }

  /**
   * The pages of `vmo` {@linkcode PageState.#compare} looks at, into `#pending`: those whose slot
   * object or kind the journal saw change since this checker last looked
   * ({@linkcode StepMonitor.slotChanges}), and those of its record whose page the step touched
   * (the only other pages a walk of every slot would stop at); their count, in page order, or -1:
   * walk every slot (the VMO's size changed, paranoid mode, a page recorded twice). A change of
   * life alone is listed too: the record's slots are those of the last look whatever its `dead`
   * says (a VMO that died with no slot changed keeps `dead` false in its record, and is looked at
   * every step). Every look at a VMO asks the journal, so the next ask reports changes from this
   * look on.
   */
  #lookAt(vmo: Vmo, before: VmoBefore | undefined, touches: PageTouches | null): number {
    if (this.#paranoid) return -1;
    const pending = this.#pending;
    let n = this.slotChanges(vmo, pending);
    if (
      n < 0 || before === undefined || this.#aliased || before.slots.length !== vmo.slots.length
    ) {
      return -1;
    }
    if (touches !== null && this.#placedN > 0) {
      // (The step's touched pages that had a place: one that had none is in no record.)
      const added = n;
      const placed = this.#placed, pages = this.#placedPages;
      for (let i = 0; i < this.#placedN; i++) {
        const w = placed[i];
        if (w.vmo !== vmo || before.slots[w.page] !== pages[i]) continue;
        if (n < pending.length) pending[n] = w.page;
        else pending.push(w.page);
        n++;
      }
      if (n > added) n = sortPages(pending, n);
    }
    return n;
  }

  /**
   * Checks every slot of `vmo` that differs from `before`, in page order;
   * true if none does (`before` still describes the VMO).
   */
  #compare(
    vmo: Vmo,
    before: VmoBefore,
    touches: PageTouches | null,
    why: string | undefined,
  ): boolean {
    const ps = vmo.pageSize;
    this.#changedN = 0;
    let same = vmo.slots.length === before.slots.length && before.copies === null;
    // No page's bytes were touched this step: no lookups for untouched pages.
    const quiet = touches === null || touches.size === 0;
    // The pages to look at ({@linkcode PageState.#lookAt}), else all.
    const pending = this.#pending;
    const listed = this.#lookAt(vmo, before, touches);
    const end = listed < 0 ? vmo.slots.length : listed;
    for (let i = 0; i < end; i++) {
      const p = listed < 0 ? i : pending[i];
      const s = vmo.slots[p];
      if (p >= before.slots.length) {
        const kind = slotKind(s);
        const cause = this.#stepCause(ps);
        if (!cause.resize || (kind !== "zero" && kind !== "absent")) {
          this.fail(
            changeCode(cause),
            `vmo${vmo.koid} page ${p} appeared as ${kind} past the old end`,
          );
        }
        continue;
      }
      const wasSlot = before.slots[p];
      const wasKind = before.kinds[p];
      // The common case first: the same slot object, of the same kind, bytes untouched.
      if (s === wasSlot && before.copies === null) {
        if (!(s instanceof Page)) continue;
        if (s.state === wasKind && (quiet || touches.before(s) === undefined)) continue;
      }
      const kind = slotKind(s);
      if (s !== wasSlot || kind !== wasKind) {
        same = false;
        this.#changed[this.#changedN++] = p;
      }
      // The bytes the page held when the last step ended: its copy, else what it held
      // before this step first touched it, else (untouched) what it holds now.
      let wasData: Uint8Array | null;
      if (before.copies !== null) wasData = before.copies[p].data;
      else if (wasSlot instanceof Page) wasData = touches?.before(wasSlot) ?? wasSlot.peek();
      else wasData = wasKind === "absent" ? null : zeroPage(ps);
      if (kind === wasKind) {
        if (kind === "absent" || kind === "marker" || kind === "zero") continue;
        if (
          s === wasSlot && before.copies === null && touches?.before(s as Page) === undefined
        ) continue;
        if (sameBytes((s as Page).peek(), wasData)) continue;
      }
      same = false;
      const cause = this.#stepCause(ps);
      this.#checkSlot(
        vmo,
        p,
        { kind: wasKind, data: wasData },
        view(s, ps),
        why,
        changeCode(cause),
        cause,
      );
    }
    return same;
  }

  #checkSlot(
    vmo: Vmo,
    p: number,
    was: SlotCopy,
    now: SlotCopy,
    why: string | undefined,
    change: string,
    cause: StepCause,
  ): void {
    // (A failure's text names the page: made only when it fails.)
    const written = this.#written.has(slotKey(vmo.koid, p));
    if (was.kind === "absent" && now.kind === "absent") return;
    if (was.kind === "absent" && now.kind === "zero") {
      if (!written) {
        this.fail(change, `vmo${vmo.koid} page ${p} became a zero slot without OP_ZERO`);
      }
      return;
    }
    if (was.kind === "absent") {
      const call = this.#supplied.get(slotKey(vmo.koid, p));
      if (call === undefined) {
        this.fail(change, `vmo${vmo.koid} page ${p} became ${now.kind} without a supply`);
      }
      const src = this.#aux.source(this.vmoOf(call.args[4]), call, p, vmo);
      if (src === undefined) return;
      const want = src === null ? "marker" : "clean";
      if (now.kind !== want) {
        this.fail(
          "K9",
          `vmo${vmo.koid} page ${p} supplied as ${now.kind}; the aux page calls for ${want}`,
        );
      }
      if (src !== null && !sameBytes(src, now.data)) {
        this.fail(
          change,
          `vmo${vmo.koid} page ${p} content differs from the aux page it was supplied from`,
        );
      }
      return;
    }
    if (now.kind === "absent") {
      // A VMO detached earlier emits no second detach when it dies: its death frees every page.
      if (why === "vmo-dead" || vmo.dead) return;
      if (why === "detach" && (was.kind === "clean" || was.kind === "marker")) return;
      if (
        cause.evict && this.#evict.evictable(vmo, p, was.kind, this.#pinnedAt(vmo, p)) !== false
      ) {
        return;
      }
      if (cause.writeback && was.kind === "zero") return;
      this.fail(
        why === "detach" ? "K13" : change,
        `vmo${vmo.koid} page ${p} (${was.kind}) vanished`,
      );
    }
    if (!written && !sameBytes(was.data, now.data)) {
      this.fail(change, `vmo${vmo.koid} page ${p} bytes changed without a write`);
    }
    if (was.kind === now.kind) return;
    const commit = cause.vmoOp || cause.vmarCommit;
    // A pin commits as COMMIT does, but a zero slot of a TRAP_DIRTY VMO waits for a DIRTY request
    // (OP_DIRTY makes it Dirty); a write pin makes what it pinned Dirty, under TRAP_DIRTY only
    // after a DIRTY request (`PrepareForWriteLocked`), so then OP_DIRTY does it. Without
    // TRAP_DIRTY `PrepareForWriteLocked` marks every page of the run that is not Dirty, an
    // AwaitingClean one too ("if (!is_page_dirty(page)) UpdateDirtyStateLocked(page, off,
    // DirtyState::Dirty)", vm_cow_pages.cc @ gnoliyil/fuchsia 02de66e3): a write pin during a
    // writeback re-dirties the page (conformance WX7, WritePinAwaitingClean). A read pin dirties
    // no Clean, AwaitingClean or marker page.
    const pinned = pinCovers(cause.pin, vmo, p);
    const pinDirtied = pinned && !vmo.trapDirty &&
      (was.kind === "zero" || cause.pin?.write === true && (was.kind === "clean" ||
            was.kind === "awaiting-clean" || was.kind === "marker"));
    const dirtied = now.kind === "dirty" && (written || cause.opDirty ||
      commit && was.kind === "zero" || pinDirtied || cause.userWrite === vmo);
    const zeroed = written && now.kind === "zero";
    // COMMIT gives a marker a Clean zero page (RequireOwnedPage: "Markers start clean").
    const committed = (commit || pinned) && was.kind === "marker" && now.kind === "clean";
    const cleaned = cause.writeback &&
      (was.kind === "dirty" && now.kind === "awaiting-clean" ||
        was.kind === "awaiting-clean" && now.kind === "clean");
    if (!dirtied && !zeroed && !cleaned && !committed) {
      this.fail(change, `vmo${vmo.koid} page ${p} went from ${was.kind} to ${now.kind}`);
    }
  }
}

/** The name of a scenario's environment eviction thread (scenario/interpreter.ts `envEvict`). */
const EVICTOR = /^env\d+\.evict\(/;

/** The running thread is a scenario's environment eviction. */
function isEvictor(world: World): boolean {
  const t = world.running;
  return t !== null && t.role === "env" && EVICTOR.test(t.name);
}
