/**
 * Kernel objects other than ports: pagers, VMOs and their page slots, threads,
 * suspend tokens and the root VMAR with its mappings.
 *
 * @module
 */

import {
  type Status,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_NOT_SUPPORTED,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_EVENT,
  ZX_OBJ_TYPE_PAGER,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_SUSPEND_TOKEN,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
} from "./constants.ts";
import type { KernelObject } from "./handles.ts";
import type { PageSource, Waiter } from "./page_source.ts";
import type { PagerProxy } from "./pager_proxy.ts";
import type { SlotKind } from "./events.ts";

/**
 * Which pages had their bytes handed out during the current scheduler step,
 * each with a copy of what it held before: checkers compare only these pages'
 * bytes, never every page of every VMO. The world clears it before each step
 * and turns it on only when checkers run (the model alone pays nothing).
 * A page made during the step is not recorded: no VMO held it when the step
 * began, so there is no earlier content to compare (and no copy to pay for).
 */
export class PageTouches {
  /** Records touches (off: {@linkcode Page.data} costs one branch). */
  enabled = false;
  /** Counts {@linkcode PageTouches.clear} calls: a page made since the last one is the step's own. */
  generation = 0;
  /**
   * The pages touched this step, in first-touch order, and their copies: the first `#n` of each
   * (the arrays and the copies' buffers are reused from step to step). Each page keeps where its
   * copy is, stamped with the generation: no `Map` hashing a page at every touch and lookup.
   */
  readonly #pages: Page[] = [];
  readonly #copies: Uint8Array[] = [];
  #n = 0;

  /** Forgets the touches of the last step (a new step begins). */
  clear(): void {
    this.generation++;
    this.#n = 0;
  }

  /** @internal `page` is about to hand out its bytes `data`; its place if it is recorded now. */
  touch(page: Page, data: Uint8Array): number {
    const n = this.#n;
    let copy = this.#copies[n];
    if (copy === undefined || copy.length !== data.length) {
      copy = this.#copies[n] = data.slice();
    } else copy.set(data);
    this.#pages[n] = page;
    this.#n = n + 1;
    return n;
  }

  /**
   * What `page` held before its first touch this step; undefined if it was not touched. The
   * copy is valid until the next {@linkcode PageTouches.clear} (later steps reuse it).
   */
  before(page: Page): Uint8Array | undefined {
    const at = touchedAt(page, this);
    return at < 0 ? undefined : this.#copies[at];
  }

  /** How many pages were touched this step. */
  get size(): number {
    return this.#n;
  }

  /** The `i`th page touched this step (`0 <= i < size`), in the order they were first touched. */
  pageAt(i: number): Page {
    return this.#pages[i];
  }

  /** The pages touched this step, in the order they were first touched. */
  pages(): IterableIterator<Page> {
    return this.#pages.slice(0, this.#n)[Symbol.iterator]();
  }
}

/** Where `page`'s copy is in `touches` this step, or -1 (set by {@linkcode Page}, which owns the stamp). */
let touchedAt: (page: Page, touches: PageTouches) => number;

/**
 * Bytes their maker hands over for good: nothing writes into them once made (their maker
 * included). A `zx_vmo_write` of a whole page of them makes them the page's content without a
 * copy ({@linkcode Page.adopt}); the page copies them before its first write. The reference
 * services' supplies are made of these (services/backing.ts): the bytes of a supply are made
 * once, not again in the aux VMO's pages.
 *
 * @example
 * ```ts
 * import { Page, SharedBytes } from "./objects.ts";
 * const bytes = new SharedBytes(8).fill(7);
 * const page = new Page(new Uint8Array(8), "clean");
 * page.adopt(bytes); // the page shows them, not a copy
 * page.data[0] = 1; // its first write copies them first
 * console.assert(page.peek()[0] === 1 && bytes[0] === 7);
 * ```
 */
export class SharedBytes extends Uint8Array {}

/**
 * A committed page with its contents and dirty state (spec 5.1). Every read
 * or write of its bytes goes through {@linkcode Page.data}, which records the
 * page in its kernel's {@linkcode PageTouches}: a byte that changes without a
 * write cannot hide from the checkers, whoever changed it. A page's bytes may
 * be borrowed (another page's, the kernel's zero page, a supply's
 * {@linkcode SharedBytes}): read in place, copied before the page's first write.
 *
 * @example
 * ```ts
 * import { Page, PageTouches } from "./objects.ts";
 * const touches = new PageTouches();
 * touches.enabled = true;
 * const page = new Page(new Uint8Array(8), "dirty", touches);
 * touches.clear(); // the next step: the page is no longer new
 * page.data[0] = 7;
 * console.assert(touches.before(page)?.[0] === 0 && page.peek()[0] === 7);
 * ```
 */
export class Page {
  #data: Uint8Array;
  /** True while {@linkcode Page.#data} is not the page's own: copied before a write. */
  #borrowed: boolean;
  readonly #touches: PageTouches | null;
  /** The touches' generation when the page was made (its step's pages are not recorded). */
  readonly #born: number;
  /** The generation of the page's last recorded touch, and where its copy is then. */
  #touchedIn = -1;
  #touchAt = 0;
  /** Dirty state (spec 5.1). */
  state: "clean" | "dirty" | "awaiting-clean";
  /**
   * Set on the copies a snapshot of a clone makes of the clone's private pages: upstream they
   * stay one page in a hidden node, shared (and its bytes attributed evenly) until one side
   * writes it. Pages with the same token are one shared page. A write makes the page private.
   */
  shared?: object;
  /**
   * The frame of a contiguous VMO this page borrows (page loaning): set only on pages a pager
   * VMO received in a supply while decommitted contiguous pages were on loan
   * (kernel/loans.ts). A pinned page never holds one.
   */
  loan?: LoanFrame;

  /**
   * A page holding `data`: its own, or with `borrowed` someone else's that nobody writes into
   * (read in place, copied before the page's first write).
   */
  constructor(
    data: Uint8Array,
    state: "clean" | "dirty" | "awaiting-clean",
    touches: PageTouches | null = null,
    shared?: object,
    borrowed = false,
  ) {
    this.#data = data;
    this.#borrowed = borrowed;
    this.state = state;
    this.#touches = touches;
    this.#born = touches === null ? -1 : touches.generation;
    if (shared !== undefined) this.shared = shared;
  }

  /** Records the touch that hands out or replaces the page's bytes (unless the page is the step's own). */
  #touch(): void {
    const t = this.#touches;
    if (
      t !== null && t.enabled && this.#born !== t.generation && this.#touchedIn !== t.generation
    ) {
      this.#touchAt = t.touch(this, this.#data);
      this.#touchedIn = t.generation;
    }
  }

  /**
   * The page's bytes, to read or write; the touch is recorded (unless the page is the step's
   * own). Borrowed bytes are copied first ({@linkcode Page.own} copies into bytes of the
   * caller's choosing).
   */
  get data(): Uint8Array {
    this.#touch();
    if (this.#borrowed) this.own(new Uint8Array(this.#data.length));
    return this.#data;
  }

  static {
    touchedAt = (page, touches) =>
      page.#touches === touches && page.#touchedIn === touches.generation ? page.#touchAt : -1;
  }

  /**
   * The page's bytes to read only (a copy out, a checker, a state hash): no
   * touch is recorded, so nothing may write through them (they may be borrowed).
   */
  peek(): Uint8Array {
    return this.#data;
  }

  /** True while the page's bytes are borrowed (read in place, copied before a write). */
  get borrowed(): boolean {
    return this.#borrowed;
  }

  /**
   * Makes the page's bytes its own: borrowed bytes are copied into `into` (fresh bytes of the
   * page's length), which the page keeps; the page's own bytes stay. The content does not
   * change, so no touch is recorded.
   */
  own(into: Uint8Array): void {
    if (!this.#borrowed) return;
    into.set(this.#data);
    this.#data = into;
    this.#borrowed = false;
  }

  /**
   * The page's whole content becomes `bytes` (a page's length of {@linkcode SharedBytes},
   * or bytes nobody writes into), borrowed: a write of all of the page without a copy.
   * Recorded as a touch, as {@linkcode Page.data} is.
   */
  adopt(bytes: Uint8Array): void {
    this.#touch();
    this.#data = bytes;
    this.#borrowed = true;
  }

  /**
   * The page's bytes, borrowed by another page as well (a snapshot's copy): from now on both
   * read them in place and copy before a write.
   */
  lend(): Uint8Array {
    this.#borrowed = true;
    return this.#data;
  }
}

/**
 * One page frame of a contiguous VMO (`zx_vmo_create_contiguous`), for page loaning
 * (kernel/loans.ts): `owned` while the VMO holds its page there, `free` once a DECOMMIT lent it
 * to the PMM (FREE_LOANED upstream), `borrowed` while a pager VMO's page {@linkcode borrower}
 * lives in it.
 */
export class LoanFrame {
  state: "owned" | "free" | "borrowed" = "owned";
  /** The page living in the frame while `borrowed`; its {@linkcode Page.loan} is this frame. */
  borrower: Page | null = null;
  /** Where the borrower was placed: its VMO and page index (a backlink, checked when stale). */
  where: Vmo | null = null;
  /** The borrower's page index in {@linkcode where}. */
  at = 0;
  constructor(readonly owner: Vmo, readonly index: number) {}
}

/** The zero marker: a clean page of zeros without storage. */
export const MARKER = Object.freeze({ marker: true as const });

/**
 * One page of a Dirty zero interval (spec 1.2, 5.1): implicit zeros the kernel
 * created (resize grow, `ZX_VMO_OP_ZERO`). A maximal run of zero slots is one interval, as
 * upstream (`AddZeroIntervalInternal` merges neighbours); its first slot carries the
 * interval's awaiting-clean length as an absolute end page (`kernel/dirty.ts` keeps it).
 */
export class ZeroSlot {
  /**
   * On an interval's first slot: pages below this index are awaiting clean (Zircon's
   * `AwaitingCleanLength`, from the start sentinel). It may lie past the interval's end when
   * the interval was truncated; 0 on other slots.
   */
  awaitingEnd = 0;
}

/** What one page slot of a VMO holds; `undefined` is absent. */
export type Slot = Page | typeof MARKER | ZeroSlot | undefined;

/** The kind of a slot, for events and invariants. */
export function slotKind(slot: Slot): SlotKind {
  if (slot === undefined) return "absent";
  if (slot === MARKER) return "marker";
  if (slot instanceof ZeroSlot) return "zero";
  return (slot as Page).state;
}

/** How a child VMO relates to its parent (spec 6.1). */
export type ChildKind = "clone" | "slice" | "reference";

/** A pager object. */
export class Pager implements KernelObject {
  readonly objType = ZX_OBJ_TYPE_PAGER;
  handleCount = 0;
  /** VMOs created through this pager that are still attached to it. */
  readonly vmos: Vmo[] = [];
  /**
   * VMOs that died while the pager was open, whose COMPLETE may still wait in the port: closing
   * the pager withdraws it (`PagerSource::OnClose` leaves a source with `complete_pending_` in
   * the pager's list, and `on_zero_handles` cancels its packet in `OnDispatcherClosed`,
   * zircon/kernel/object/pager_dispatcher.cc @ vsrinivas/fuchsia 005edc33).
   */
  readonly completing: Vmo[] = [];
  /** The last handle closed (on_zero_handles ran). */
  closed = false;
  constructor(readonly koid: number) {}
}

/** A VMO: anonymous, or pager-backed with a page source. */
export class Vmo implements KernelObject {
  readonly objType = ZX_OBJ_TYPE_VMO;
  handleCount = 0;
  /** Mappings of this VMO (they keep it alive). */
  mappings = 0;
  /** Operations in flight on this VMO (a blocked read keeps it alive). */
  inflight = 0;
  /** The object died: COMPLETE was (or would have been) sent, pages freed. */
  dead = false;
  readonly slots: Slot[];
  /** Created with `ZX_VMO_TRAP_DIRTY`: writes to non-Dirty content raise DIRTY requests. */
  trapDirty = false;
  /** The pager stats "modified" flag (spec 2.7; root pager VMOs only). */
  modified = false;
  /** Children (clones, slices, references) alive: they keep this VMO alive (spec 6.1). */
  readonly children: Vmo[] = [];
  /** A child's parent: a pager root for clones, any VMO for slices and references. */
  parent: Vmo | null = null;

  /** The VMO at the top of this one's parent chain: the pager root a child's requests go to. */
  get root(): Vmo {
    // deno-lint-ignore no-this-alias
    let v: Vmo = this;
    while (v.parent !== null) v = v.parent;
    return v;
  }
  /** What kind of child this is; null for roots and anonymous VMOs. */
  childKind: ChildKind | null = null;
  /** Pages from the parent's start to this child's page 0. */
  parentOffset = 0;
  /** Clones: own pages below this index fall through to the parent (shrinks clip it for good). */
  parentLimit = 0;
  /** Pins per page (`zx_bti_pin`): a pinned page is never evicted nor cut by a shrink. */
  readonly pins: Map<number, number> = new Map();
  /**
   * The part of {@linkcode pins} taken by write pins (`ZX_BTI_PERM_WRITE`). On a pager root
   * every write-pinned page is Dirty: the pin dirtied it, WRITEBACK_BEGIN skips pinned pages
   * and nothing else cleans a Dirty page (kernel assertion in `VmoPages.checkPins`).
   */
  readonly writePins: Map<number, number> = new Map();
  /** Root pages under `ZX_VMO_OP_ALWAYS_NEED`: eviction skips them. */
  readonly alwaysNeed: Set<number> = new Set();
  /**
   * The VMO this child was created from, as userspace sees it (`ZX_INFO_VMO.num_children`
   * counts {@linkcode userChildren}); may differ from {@linkcode parent}, which is where the
   * model looks pages up. When a VMO dies its children move to its own user parent.
   */
  userParent: Vmo | null = null;
  /** Live children created from this VMO (or inherited from a dead child). */
  readonly userChildren: Vmo[] = [];
  /** A snapshot was taken of this clone, or it is one: upstream it hangs below a hidden node. */
  hiddenParent = false;
  /**
   * The frames of a contiguous VMO (`zx_vmo_create_contiguous`), one per page; null for every
   * other VMO. Such a VMO is anonymous, not resizable, and its DECOMMIT lends its frames
   * (kernel/loans.ts).
   */
  frames: LoanFrame[] | null = null;
  /**
   * A page of this VMO was ever pinned: it never borrows loaned pages again (upstream
   * `VmCowPages::ever_pinned_`, which `can_borrow_locked` excludes).
   */
  everPinned = false;
  /**
   * The user signals (`ZX_USER_SIGNAL_0`-`_7`) `zx_object_signal` set on this VMO
   * (VmObjectDispatcher is a SoloDispatcher with no extra signals: dispatcher.h
   * @ vsrinivas/fuchsia 005edc33); its `ZX_VMO_ZERO_CHILDREN` is computed from
   * {@linkcode userChildren} (kernel/signals.ts).
   */
  userSignals = 0;

  constructor(
    readonly koid: number,
    readonly pageSize: number,
    /** Size in bytes, a multiple of the page size. */
    public size: number,
    readonly resizable: boolean,
    /** Koid of the pager that created it; 0 for anonymous VMOs. */
    readonly pagerKoid: number,
    readonly source: PageSource | null,
    readonly proxy: PagerProxy | null,
    /** The packet key, for pager-backed VMOs. */
    readonly key: number,
  ) {
    this.slots = new Array(size / pageSize);
  }

  /** Pages from the root's page 0 to this clone's page 0 (the sum of the chain's offsets). */
  get rootShift(): number {
    let n = 0;
    // deno-lint-ignore no-this-alias
    for (let v: Vmo = this; v.parent !== null; v = v.parent) n += v.parentOffset;
    return n;
  }

  /**
   * Where page `q` of a clone finds its content: the nearest VMO up the chain of clones that
   * holds a slot there, or the root (whose slot may be absent: a READ), walking through each
   * parent only below that clone's limit. Null when a limit cuts the view: the page reads as
   * zero (`FindPageContentLocked`, vm_cow_pages.cc @ misttech/fuchsia 030dcba0).
   */
  lookup(q: number): { owner: Vmo; page: number } | null {
    // deno-lint-ignore no-this-alias
    let v: Vmo = this;
    let p = q;
    for (;;) {
      if (v.slots[p] !== undefined || v.parent === null) return { owner: v, page: p };
      if (p >= v.parentLimit) return null;
      p += v.parentOffset;
      v = v.parent;
    }
  }

  /** Number of pages. */
  get pageCount(): number {
    return this.size / this.pageSize;
  }

  /** Handles, mappings and in-flight operations that keep the object alive. */
  get refs(): number {
    return this.handleCount + this.mappings + this.inflight + this.children.length + this.pinTokens;
  }

  /** Pinned-memory tokens that pin pages of this VMO (they keep it alive). */
  pinTokens = 0;

  /**
   * Bytes attributed to this VMO with shared pages split evenly among the VMOs that share them
   * (`populated_scaled_bytes`; snapshot.cc "Smoke": a modified page shared by a clone and its
   * snapshot "is evenly attributed"). Only the integral part, as `zx_info_vmo_t` reports it.
   */
  populatedScaledBytes(): number {
    const holders = new Map<object, number>();
    const tree: Vmo[] = [this.root];
    for (let i = 0; i < tree.length; i++) {
      for (const c of tree[i].children) if (c.childKind === "clone") tree.push(c);
    }
    for (const v of tree) {
      if (v.dead) continue;
      for (const s of v.slots) {
        const token = isSharedPage(s);
        if (token !== null) holders.set(token, (holders.get(token) ?? 0) + 1);
      }
    }
    let whole = 0;
    let fraction = 0;
    for (const s of this.slots) {
      if (s === undefined || s === MARKER || s instanceof ZeroSlot) continue;
      const token = isSharedPage(s);
      if (token === null) whole += this.pageSize;
      else fraction += this.pageSize / (holders.get(token) ?? 1);
    }
    return whole + Math.floor(fraction + 1e-9);
  }

  /** Pages with storage (markers hold none). */
  committedPages(): number {
    let n = 0;
    for (const s of this.slots) {
      if (s !== undefined && s !== MARKER && !(s instanceof ZeroSlot)) n++;
    }
    return n;
  }
}

function isSharedPage(s: Slot): object | null {
  if (s === undefined || s === MARKER || s instanceof ZeroSlot) return null;
  return (s as Page).shared ?? null;
}

/**
 * A VMO died: its user-visible children become children of its own user parent, so
 * `num_children` keeps counting them there (snapshot.cc ReleaseCowParentPagesRight: the root
 * has one child after the middle clone is dropped).
 */
export function releaseUserChildren(vmo: Vmo): void {
  const up = vmo.userParent;
  if (up !== null) {
    const i = up.userChildren.indexOf(vmo);
    if (i >= 0) up.userChildren.splice(i, 1);
  }
  for (const c of vmo.userChildren) {
    c.userParent = up;
    if (up !== null) up.userChildren.push(c);
  }
  vmo.userChildren.length = 0;
  vmo.userParent = null;
}

/** A simulated thread as the kernel sees it. */
export class KThread implements KernelObject {
  readonly objType = ZX_OBJ_TYPE_THREAD;
  handleCount = 0;
  /** Open suspend tokens. */
  suspendCount = 0;
  killed = false;
  exited = false;
  /**
   * Harness entries the thread is inside: a file's open or close, the filesystem's work, which
   * runs on the calling workload thread here (scenario/files.ts). A kill that lands inside one
   * takes effect when the thread leaves the last (`KernelObjects.leaveEntry`).
   */
  entries = 0;
  /** A kill landed inside an entry and waits for the entry's return (trace: `kill-deferred`). */
  killDeferred = false;
  /** The page-request wait of the operation in flight, if any. */
  waiter: Waiter | null = null;
  /** The VMO whose page source `waiter` belongs to. */
  waiterVmo: Vmo | null = null;
  /** VMO references held by the operation in flight (released on kill). */
  readonly held: Vmo[] = [];
  /** The handle the process setup made for this thread (what `Sys.self` names); 0 if none. */
  selfHandle = 0;

  constructor(
    readonly koid: number,
    readonly tid: number,
    readonly name: string,
    /** Return ZX_ERR_SHOULD_WAIT instead of blocking on the pager (the documented old mode). */
    readonly failInsteadOfBlock: boolean,
  ) {}

  /**
   * Suspension has taken effect (Zircon's `ZX_THREAD_SUSPENDED`): a suspend token is open and
   * the thread is not held in the kernel by a wait that ignores suspension. A thread parked on
   * (or just woken from) a kernel usercopy's page-fault wait runs on while suspended until it
   * leaves that wait; it then stops at its next scheduling point, as upstream suspends "on its
   * way back to userspace" (`SuspendInKernelTest`, pager.cc @ misttech/fuchsia b394d1c8).
   */
  get suspended(): boolean {
    return this.suspendCount > 0 && (this.waiter === null || this.waiter.suspendable);
  }

  get alive(): boolean {
    return !this.killed && !this.exited;
  }
}

/**
 * @internal A simulated thread as the kernel sees it, under the name the
 * public surface uses (its members are the kernel's business).
 */
export type KernelThread = KThread;

/** An event: an object whose signals threads set and clear (`zx_event_create`). */
export class Event implements KernelObject {
  readonly objType = ZX_OBJ_TYPE_EVENT;
  handleCount = 0;
  /** Active signals (`ZX_EVENT_SIGNALED` and the user signals). */
  signals = 0;
  constructor(readonly koid: number) {}
}

/** A suspend token: closing it resumes the thread. */
export class SuspendToken implements KernelObject {
  readonly objType = ZX_OBJ_TYPE_SUSPEND_TOKEN;
  handleCount = 0;
  released = false;
  constructor(readonly koid: number, readonly thread: KThread) {}
}

/** One mapping of a VMO range into the address space. */
export interface Mapping {
  readonly addr: number;
  readonly len: number;
  readonly vmo: Vmo;
  readonly vmoOffset: number;
  /** Loads are allowed (`ZX_VM_PERM_READ`; `zx_vmar_protect` may change it). */
  readable: boolean;
  /** Stores are allowed (`ZX_VM_PERM_WRITE`; `zx_vmar_protect` may change it). */
  writable: boolean;
  /**
   * The VMO handle and the VMAR allowed writes when it was mapped: the most
   * `zx_vmar_protect` may grant, and what COMMIT and DECOMMIT through
   * `zx_vmar_op_range` need (upstream `VmMapping::is_valid_mapping_flags`).
   */
  readonly canWrite: boolean;
}

/** `ZX_VM_CAN_MAP_*` of a VMAR, as the model keeps them. */
export interface VmarFlags {
  readonly specific: boolean;
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
}

/** The flags of the root VMAR: everything may be mapped in it. */
const ROOT_FLAGS: VmarFlags = Object.freeze({
  specific: true,
  read: true,
  write: true,
  execute: true,
});

/**
 * A VMAR: the root VMAR of the simulated process or a sub-region of it
 * (`zx_vmar_allocate`), holding mappings and sub-regions that never overlap
 * (upstream `VmAddressRegion`, zircon/kernel/vm/vm_address_region.cc).
 */
export class Vmar implements KernelObject {
  readonly objType = ZX_OBJ_TYPE_VMAR;
  handleCount = 0;
  /** The mappings placed directly in this region. */
  readonly mappings: Mapping[] = [];
  /** The sub-regions placed directly in this region. */
  readonly regions: Vmar[] = [];
  /** Where the next non-specific placement goes (the model packs placements in order). */
  nextAddr: number;
  /** `zx_vmar_destroy` ran (on it or an ancestor): nothing can be placed or operated on. */
  destroyed = false;

  constructor(
    readonly koid: number,
    /** Lowest address of the VMAR: `ZX_VM_SPECIFIC` offsets are relative to it. */
    readonly base: number = 0x1000_0000,
    /** Size in bytes: the root spans 2^47 bytes (user space, zx_vmar_map.md). */
    readonly size: number = 2 ** 47,
    /** The region it was allocated in; null for the root. */
    readonly parent: Vmar | null = null,
    /** What may be mapped in it. */
    readonly flags: VmarFlags = ROOT_FLAGS,
  ) {
    this.nextAddr = base;
  }

  /** The mapping containing `addr`, if any, in this region or a sub-region. */
  find(addr: number): Mapping | undefined {
    for (const m of this.mappings) if (addr >= m.addr && addr < m.addr + m.len) return m;
    for (const r of this.regions) if (addr >= r.base && addr < r.base + r.size) return r.find(addr);
    return undefined;
  }

  /** True if `[addr, addr + len)` lies inside this region. */
  contains(addr: number, len: number): boolean {
    return addr >= this.base && addr + len <= this.base + this.size;
  }

  /**
   * The lowest-addressed mapping of this region's tree that overlaps
   * `[from, to)` (the upstream `VmAddressRegionEnumerator` walk of
   * `RangeOp`), if any.
   */
  nextMapping(from: number, to: number): Mapping | undefined {
    let best: Mapping | undefined;
    for (const m of this.mappings) {
      if (m.addr < to && from < m.addr + m.len && (best === undefined || m.addr < best.addr)) {
        best = m;
      }
    }
    for (const r of this.regions) {
      if (r.base >= to || from >= r.base + r.size) continue;
      const m = r.nextMapping(from, to);
      if (m !== undefined && (best === undefined || m.addr < best.addr)) best = m;
    }
    return best;
  }

  /**
   * Where a new child of `length` bytes goes: `base + vmarOffset` when
   * `specific`, else after the last placement and a guard page of `guard`
   * bytes; [status, address].
   */
  #spot(length: number, vmarOffset: number, specific: boolean): [Status, number] {
    const at = specific ? this.base + vmarOffset : this.nextAddr;
    if (at + length > this.base + this.size) {
      return [specific ? ZX_ERR_INVALID_ARGS : ZX_ERR_NO_RESOURCES, 0];
    }
    return [ZX_OK, at];
  }

  #advance(at: number, length: number, specific: boolean, guard: number): void {
    if (specific) this.nextAddr = Math.max(this.nextAddr, at + length + guard);
    else this.nextAddr += length + guard;
  }

  /**
   * Places `mapping` (`len` bytes, page-rounded): at `base + vmarOffset` when
   * `specific`, replacing the whole mappings it covers when `overwrite`; else
   * after the last placement and a guard page of `guard` bytes. A specific
   * placement over a sub-region fails (ALREADY_EXISTS, with or without
   * overwrite: zx_vmar_map.md "It is still an error to overlap another VMAR").
   * Returns the status, the address and the mappings it replaced (the caller
   * drops their VMO references).
   */
  place(
    mapping: Omit<Mapping, "addr">,
    vmarOffset: number,
    specific: boolean,
    overwrite: boolean,
    guard: number,
  ): [Status, number, Mapping[]] {
    const length = mapping.len;
    const [st, at] = this.#spot(length, vmarOffset, specific);
    if (st !== ZX_OK) return [st, 0, []];
    let hit: Mapping[] = [];
    if (specific) {
      if (this.regions.some((r) => r.base < at + length && at < r.base + r.size)) {
        return [ZX_ERR_ALREADY_EXISTS, 0, []];
      }
      hit = this.mappings.filter((m) => m.addr < at + length && at < m.addr + m.len);
      if (hit.length > 0 && !overwrite) return [ZX_ERR_ALREADY_EXISTS, 0, []];
      // The model replaces whole mappings only (as it unmaps whole mappings only).
      if (hit.some((m) => m.addr < at || m.addr + m.len > at + length)) {
        return [ZX_ERR_NOT_SUPPORTED, 0, []];
      }
      for (const m of hit) this.mappings.splice(this.mappings.indexOf(m), 1);
    }
    this.#advance(at, length, specific, guard);
    this.mappings.push({ ...mapping, addr: at });
    return [ZX_OK, at, hit];
  }

  /**
   * Allocates a sub-region of `size` bytes (page-rounded) with `flags`, placed
   * like a mapping (no overwrite); [status, region]
   * (`VmAddressRegion::CreateSubVmarInternal`).
   */
  allocate(
    koid: () => number,
    vmarOffset: number,
    size: number,
    specific: boolean,
    flags: VmarFlags,
    guard: number,
  ): [Status, Vmar | null] {
    const [st, at] = this.#spot(size, vmarOffset, specific);
    if (st !== ZX_OK) return [st, null];
    if (
      specific && (this.regions.some((r) => r.base < at + size && at < r.base + r.size) ||
        this.mappings.some((m) => m.addr < at + size && at < m.addr + m.len))
    ) return [ZX_ERR_ALREADY_EXISTS, null];
    this.#advance(at, size, specific, guard);
    const region = new Vmar(koid(), at, size, this, flags);
    this.regions.push(region);
    return [ZX_OK, region];
  }

  /**
   * Destroys this region (`zx_vmar_destroy`): it and its sub-regions are
   * destroyed, and it leaves its parent. Returns every mapping it held (the
   * caller drops their VMO references).
   */
  destroy(): Mapping[] {
    const gone: Mapping[] = [];
    const walk = (r: Vmar) => {
      r.destroyed = true;
      gone.push(...r.mappings.splice(0));
      for (const c of r.regions.splice(0)) walk(c);
    };
    walk(this);
    const up = this.parent;
    if (up !== null) up.regions.splice(up.regions.indexOf(this), 1);
    return gone;
  }

  /** Removes the mapping of exactly `[addr, addr + len)`, if there is one, and returns it. */
  remove(addr: number, len: number): Mapping | undefined {
    const i = this.mappings.findIndex((m) => m.addr === addr && m.len === len);
    return i < 0 ? undefined : this.mappings.splice(i, 1)[0];
  }
}

/**
 * A bus transaction initiator on the model's one dummy IOMMU (`zx_bti_create`):
 * it hands out pinned-memory tokens; a token whose handle closed without
 * `zx_pmt_unpin` is quarantined here and its pages stay pinned for good: the
 * BTI's last close keeps the quarantine ("We intentionally leak the BTI, all
 * quarantined PMTs, and their underlying VMOs"), a token closed after it is
 * quarantined (leaked) too, and `zx_bti_pin` fails with BAD_STATE while the
 * quarantine is not empty. The model has no `zx_bti_release_quarantine`
 * (upstream `BusTransactionInitiatorDispatcher`,
 * zircon/kernel/object/bus_transaction_initiator_dispatcher.cc @ misttech/fuchsia 3281dd6b).
 */
export class Bti implements KernelObject {
  readonly objType = ZX_OBJ_TYPE_BTI;
  handleCount = 0;
  /** Tokens closed without an unpin: their pages stay pinned for the rest of the run. */
  readonly quarantine: Pmt[] = [];
  constructor(readonly koid: number, readonly btiId: number) {}
}

/**
 * A pinned-memory token (`zx_bti_pin`): pages `[start, end)` of `vmo` (a root
 * or anonymous VMO, after slice views) stay pinned until `zx_pmt_unpin`
 * (upstream `PinnedMemoryTokenDispatcher`).
 */
export class Pmt implements KernelObject {
  readonly objType = ZX_OBJ_TYPE_PMT;
  handleCount = 0;
  /** Unpinned: the pages are free to go. */
  unpinned = false;
  constructor(
    readonly koid: number,
    readonly bti: Bti,
    readonly vmo: Vmo,
    readonly start: number,
    readonly end: number,
    readonly writable: boolean,
  ) {}
}
