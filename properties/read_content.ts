/**
 * `read-content`: every byte a program reads is the byte its own model of VMO
 * contents says, for every kind of VMO a program makes: anonymous and
 * contiguous VMOs (zeros, then what was stored), pager VMOs (what each supply
 * put in a page, which `page-state` holds to the aux page it came from, then
 * what was stored), slices and references (their parent's pages, shifted by
 * the child's offset) and at-least-on-write clones of a pager VMO (spec 6.1:
 * the root's **current** content until the clone writes a page, zeros past
 * what the clone could see of its parent at creation and past every later
 * shrink of either, `CloneShrinkGrowParent`; a write forks the page from the
 * root's content of that moment). Programs are judged by no backing store
 * (`data-integrity` needs the reference services' files), so without this a
 * kernel that reads the wrong page, the wrong clone content or stale bytes
 * passes every program.
 *
 * Independence: a `zx_vmo_read` is judged in the caller's coordinates — the
 * handle it named, its offset plus the bytes its earlier `copy` events
 * delivered — and translated through slices, references and clones by this
 * model's own record of each `zx_vmo_create_child` (arguments, not the
 * kernel's child links), so a kernel that translates wrongly disagrees.
 * Stores are applied where the kernel says they landed; a store in the wrong
 * place then shows at the next read of either place.
 *
 * A SNAPSHOT_MODIFIED child of such a clone copies the pages the clone holds
 * itself and shows the root where the clone does.
 *
 * An at-least-on-write child of such a clone (and so on down) shows, when made,
 * what the clone shows; a page the clone changes afterwards the child "might"
 * see (the "at least" in at-least-on-write: which ancestor a new clone hangs
 * from depends on pages the chain holds, pager.cc
 * CloneMightSeeIntermediateForks), so it is unjudged there until the child
 * writes it.
 *
 * Left unjudged (the model says "unknown" and lets any byte pass): snapshots of
 * clones of clones, pages of a clone that a COMMIT, a pin, a
 * mapping or a `zx_vmar_op_range` may have forked (the fork keeps the root's
 * content of a moment the model does not see; a pin that began and returned
 * ZX_OK in one step forked at a moment the model sees: those pages are the
 * clone's own, holding what it showed), a clone's pages past the
 * extent of the slice it was made from, the tail of a page a size that is no
 * page multiple cut (zeroed in place), aux pages a supply took from a VMO
 * that is no anonymous root, and a contiguous VMO's decommitted pages (lent).
 * Reads through a mapping are judged at the VMO and offset the kernel names.
 *
 * R3: a READ or DIRTY request a `zx_vmo_read`, `zx_vmo_write`, `zx_vmo_op_range` or
 * `zx_bti_pin` makes lies inside the pages the call names, translated to the pager root by the
 * model's own record of the children between (spec 3.4); a READ through a clone covers no page
 * the clone holds (its own forks and those of the clones it was made of, whose bytes the model
 * knows).
 *
 * R5: the first request a pager VMO ever gets, a READ raised by a buffer-less `zx_vmo_read` or
 * a COMMIT while the VMO holds no page in the call's range (nothing supplied, stored or zeroed
 * there, never resized) and no clone between holds or may hold one, covers the call's whole
 * range there: from its first
 * page to its last, cut only at the VMO's end and at a clone's limit (spec 3.4: a READ "extends
 * over the remaining pages the operation intends to touch (vmo_read: to the end of the read;
 * commit: to the end of the range), then is truncated at the first page that already has
 * content", and no request is outstanding to trim it; `LookupCursor::ReadRequest`, pager.cc
 * `PageRequestBatching*` @ misttech/fuchsia 6774606f). Without it a kernel that sizes the READ
 * from the wrong offsets (through a slice or a clone at an offset) asks for less, and the reader
 * asks again: only the pager sees the difference.
 *
 * R4: a `zx_vmo_write` without a user buffer stores its bytes in order, each where the model's
 * own translation of the caller's next byte (its offset plus what its earlier stores wrote)
 * puts it, and every one of them if it returns ZX_OK; a ZERO (`zx_vmo_op_range`) stores only
 * zeros, and only inside the bytes it names, translated the same way. A ZERO that returns ZX_OK leaves its whole range reading zeros, in
 * every kind of VMO (a pager root's too: its whole pages become zero slots, its partial pages are
 * zeroed through the write path), set in the model from the call's own range, not from the
 * kernel's stores, except on the pages another thread stored to or a supply filled while it ran.
 * A clone's page it covers in part is forked through the write path: the clone's own from then,
 * the bytes it showed with the range zeroed, judged when the ZERO began and returned ZX_OK in one
 * step (as a pin's fork; one that parked leaves the page loose).
 * Without them a kernel that zeroes or writes a page next to the one named (a partial page's
 * arithmetic, a range's end, an offset not page-aligned) passes: its stores told the model where
 * the bytes went.
 *
 * R6: a `zx_vmo_write` from a user buffer stores, as the caller's byte `i`, the byte its load of
 * buffer byte `i` took, and loads only from its buffer. Where a load came from is worked out from
 * the model's own record of each `zx_vmar_map` (the VMO and offset it named, at the address it
 * returned), never from the kernel's mappings; what the load took is judged as a read of that
 * VMO (R1), so the bytes stored are the model's content of the buffer. Without it a kernel whose
 * copy starts at the wrong place in the buffer (`vmo_pages.ts:440:63` `pos + offset`, helper
 * lever25) stores other bytes and passes: its loads and stores agree with each other. A load
 * the record cannot place (an address no recorded mapping covers, two buffer bytes showing the
 * same page, a view past its extent) leaves the call's stores unjudged by R6.
 *
 * R2: a call with a user buffer (`zx_vmo_read`, `zx_vmo_write`, `zx_object_get_info`) that
 * returns ZX_OK moved every byte of its length through the buffer: its own store events (copies
 * out) or load events (`copy`, copies in) add up to at least that length. Without it a kernel
 * whose user copies move nothing passes, the stores' absence agreeing with the model.
 *
 * @module
 */

import {
  ZX_INFO_VMO_BYTES,
  ZX_OK,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
} from "../kernel/constants.ts";
import type { KernelEvent } from "../kernel/events.ts";
import { MARKER, Page } from "../kernel/objects.ts";
import type { World } from "../sim/world.ts";
import { zeroPage } from "./_bytes.ts";
import { type Call, pagerVmo, StepMonitor } from "./_step_monitor.ts";
import { pagesOfCall, readRequestEnd } from "./_request_bounds.ts";

/** A page's content the model cannot state: any byte passes. */
const UNKNOWN: unique symbol = Symbol("unknown");
type Content = Uint8Array | typeof UNKNOWN;

/** A VMO that holds its own pages: anonymous (absent pages read zeros) or pager-backed. */
interface RootNode {
  readonly kind: "root";
  readonly anonymous: boolean;
  readonly contiguous: boolean;
  pages: number;
  /** Page contents; an absent key is zeros (anonymous) or unknown (pager-backed). */
  readonly content: Map<number, Content>;
  /** The at-least-on-write clones made of it (directly or through views). */
  readonly clones: CloneNode[];
}

/** A slice or a reference: the parent's pages from `offset` on. */
interface ViewNode {
  readonly kind: "view";
  readonly parent: Node;
  readonly offset: number;
  /** Pages of the parent it shows (a reference: all of them, `Infinity`). */
  readonly extent: number;
}

/** An at-least-on-write clone of a pager root (through views or not). */
interface CloneNode {
  readonly kind: "clone";
  readonly root: RootNode;
  /** Its page 0 is the root's page `offset`. */
  readonly offset: number;
  pages: number;
  /** Pages below this show the root; past it, zeros (the parent limit). */
  limit: number;
  /** Pages past this are unjudged (made from a view that ended there). */
  readonly extent: number;
  /** The pages it holds itself (forked by a write). */
  readonly own: Map<number, Content>;
  /** Pages something may have forked at an unseen moment. */
  readonly loose: Set<number>;
  /** Every page may have been forked. */
  allLoose: boolean;
  /**
   * The at-least-on-write children made of this clone (their page 0 is its page `at`): each
   * may or may not see what this clone changes after it was made (`followChanged`).
   */
  children?: { readonly node: CloneNode; readonly at: number }[];
  /** Pages of `own` copied from the clone it was made of at its creation, not its own forks. */
  readonly inherited?: Set<number>;
  /** A SNAPSHOT_MODIFIED child (`snapshotOfClone`): children of it are not followed. */
  readonly snapshot?: boolean;
}

/** A VMO the model does not follow (a clone of a clone): every byte passes. */
interface OpaqueNode {
  readonly kind: "opaque";
}

type Node = RootNode | ViewNode | CloneNode | OpaqueNode;

const OPAQUE: OpaqueNode = { kind: "opaque" };

/** A mapping the model saw made: `len` bytes from `addr` show `node` from its byte `vmoOffset`. */
interface MappingRecord {
  readonly addr: number;
  readonly len: number;
  readonly node: Node;
  readonly vmoOffset: number;
}

/**
 * What a `zx_vmo_write` from a user buffer loaded, by buffer byte (`have` marks the bytes
 * loaded); `bytes` null once a load could not be placed (unjudged).
 */
interface BufferLoads {
  bytes: Uint8Array | null;
  readonly have: Uint8Array;
}

/** Pages of a pin whose fork {@linkcode ReadContent} notes (pages past them stay loose). */
const PIN_PAGES_NOTED = 1024;

/** Buffers longer than this are left unjudged by R6 (what a load took is kept per byte). */
const MAX_JUDGED_BUFFER = 1 << 20;

/** A `zx_vmo_write` from a user buffer (its address a number, its length a number). */
function isUserWrite(call: Call): boolean {
  return call.name === "zx_vmo_write" && typeof call.args[3] === "number" &&
    typeof call.args[1] === "number";
}

/** An empty record of a user-buffer write's loads (unjudged past {@linkcode MAX_JUDGED_BUFFER}). */
function bufferLoads(call: Call): BufferLoads {
  const length = call.args[1] as number;
  if (!(length >= 0 && length <= MAX_JUDGED_BUFFER)) {
    return { bytes: null, have: new Uint8Array(0) };
  }
  return { bytes: new Uint8Array(length), have: new Uint8Array(length) };
}

/**
 * The user-buffer copy a call makes (`dir` out: the kernel stores into the buffer; in: it loads
 * from it) and its length, if the call names a buffer.
 */
function userCopyOf(call: Call): { dir: "out" | "in"; length: number } | undefined {
  const a = call.args;
  let buffer: unknown, length: unknown, dir: "out" | "in";
  switch (call.name) {
    case "zx_vmo_read":
      [buffer, length, dir] = [a[3], a[2], "out"];
      break;
    case "zx_vmo_write":
      // A call event shows the bytes as their length.
      [buffer, length, dir] = [a[3], a[1] instanceof Uint8Array ? a[1].length : a[1], "in"];
      break;
    case "zx_object_get_info":
      [buffer, length, dir] = [a[2], ZX_INFO_VMO_BYTES, "out"];
      break;
    default:
      return undefined;
  }
  if (buffer === undefined || typeof length !== "number") return undefined;
  return { dir, length };
}

/**
 * A SNAPSHOT_MODIFIED child of clone `c` showing its pages from `at` (`extent`: how far the
 * slices it was made through reach): a snapshot of the pages `c` holds itself (copied now), an
 * at-least-on-write view of the root where `c` shows the root, and zeros past what `c` could see
 * of it (zx_vmo_create_child.md: "a snapshot of the modified pages of the parent and a
 * reference to the unmodified pages"; snapshot.cc Smoke, conformance S19, S25). What `c` may
 * have forked unseen is loose in the snapshot too.
 */
function snapshotOfClone(c: CloneNode, at: number, pages: number, extent: number): CloneNode {
  const own = new Map<number, Content>();
  const loose = new Set<number>();
  for (let p = 0; p < pages; p++) {
    const mine = c.own.get(at + p);
    if (mine !== undefined) own.set(p, mine === UNKNOWN ? UNKNOWN : mine.slice());
    if (c.loose.has(at + p)) loose.add(p);
  }
  const snap = childOf(c, at, pages, extent, own, loose, { snapshot: true });
  c.root.clones.push(snap);
  return snap;
}

/** A child node of clone `c` from page `at` with the pages it holds and those loose in it. */
function childOf(
  c: CloneNode,
  at: number,
  pages: number,
  extent: number,
  own: Map<number, Content>,
  loose: Set<number>,
  kind: { snapshot: true } | { inherited: Set<number> },
): CloneNode {
  return {
    kind: "clone",
    root: c.root,
    offset: c.offset + at,
    pages,
    limit: Math.max(0, Math.min(pages, c.limit - at)),
    extent: Math.max(0, Math.min(extent, c.extent - at)),
    own,
    loose,
    allLoose: c.allLoose,
    ...kind,
  };
}

/**
 * An at-least-on-write child of clone `c` showing its pages from `at` (`extent`: how far the
 * slices it was made through reach): at its creation it shows what `c` shows, page by page (the
 * pages `c` holds itself, copied; the root's current page where `c` shows the root; zeros past
 * what `c` could see of the root), whichever VMO of the chain the kernel hangs it from
 * (zx_vmo_create_child.md, FuchsiaOS/FuchsiaOS-docs-zh_CN 3546767c: "Until a page is written
 * to, and copied, reads are permitted, although not guaranteed, to return changing values if
 * the parent performs writes"; pager.cc CloneMightSeeIntermediateForks and
 * CloneSeesCorrectParentPages @ misttech/fuchsia 6774606f: a child hung above `c` still sees
 * every page `c` forked, and no more of an ancestor than `c`'s limit). What `c` changes
 * afterwards it "might" see
 * (CloneMightSeeIntermediateForks: hung from `c` it does, hung higher it does not), so each such
 * page becomes loose in the child (`followChanged`) until the child writes it.
 */
function cloneOfClone(c: CloneNode, at: number, pages: number, extent: number): CloneNode {
  const own = new Map<number, Content>();
  const inherited = new Set<number>();
  const loose = new Set<number>();
  for (let p = 0; p < pages; p++) {
    const mine = c.own.get(at + p);
    if (mine !== undefined) {
      own.set(p, mine === UNKNOWN ? UNKNOWN : mine.slice());
      inherited.add(p);
    } else if (c.loose.has(at + p)) loose.add(p);
  }
  const child = childOf(c, at, pages, extent, own, loose, { inherited });
  (c.children ??= []).push({ node: child, at });
  c.root.clones.push(child);
  return child;
}

/**
 * Page `page` of clone `c` changed (a store, a fork at an unseen moment): each child made of it
 * may show the change or not, so the page is loose there (its copy dropped) unless the child
 * forked it itself, and so on down.
 */
function followChanged(c: CloneNode, page: number): void {
  for (const d of c.children ?? []) {
    const q = page - d.at;
    if (q < 0 || q >= d.node.pages) continue;
    if (d.node.inherited?.has(q)) {
      d.node.inherited.delete(q);
      d.node.own.delete(q);
    } else if (d.node.own.has(q)) continue;
    d.node.loose.add(q);
    followChanged(d.node, q);
  }
}

/** Every page of clone `c` and of the children made of it that it did not fork itself: loose. */
function allUnknown(c: CloneNode): void {
  c.allLoose = true;
  for (const p of c.inherited ?? []) c.own.delete(p);
  c.inherited?.clear();
  for (const d of c.children ?? []) allUnknown(d.node);
}

/** Judges every byte a program reads against its own model of VMO contents. */
export class ReadContent extends StepMonitor {
  readonly name = "read-content";
  protected override readonly stepKinds: ReadonlySet<KernelEvent["k"]> = new Set([
    "call",
    "ret",
    "copy",
    "store",
    "supply",
    "request",
  ]);
  /** The node of each VMO the model saw made, by koid (events name koids, handles name VMOs). */
  readonly #byKoid = new Map<number, Node>();
  /** The bytes each `zx_vmo_read` in progress has delivered, by its call. */
  readonly #progress = new Map<Call, number>();
  /** The bytes each call with a user buffer has moved through it so far, by its call. */
  readonly #moved = new Map<Call, number>();
  /** The bytes each direct `zx_vmo_write` in progress has stored, by its call (R4). */
  readonly #stored = new Map<Call, number>();
  /**
   * Each ZERO in progress, with the model's pages another thread stored to or a supply filled
   * since it began (its range is not set to zeros there when it returns), or `null` once such a
   * page cannot be told (a resize by another thread): nothing is set.
   */
  readonly #zeroing = new Map<Call, Map<Node, Set<number>> | null>();
  /** Pager roots a request was made of (R5 judges only the first). */
  readonly #asked = new WeakSet<Node>();
  /** Roots resized (a grown root's new pages are zero intervals: R5 leaves them). */
  readonly #resized = new WeakSet<Node>();
  /** The mappings the model saw made and not yet unmapped, by their own `zx_vmar_map` (R6). */
  #mappings: MappingRecord[] = [];
  /** What each `zx_vmo_write` from a user buffer in progress loaded, by its call (R6). */
  readonly #loaded = new Map<Call, BufferLoads>();
  /**
   * Each `zx_bti_pin` in progress naming a clone (through views or not): the step it began in
   * and the pages the clone showed then, where the model knew them ({@linkcode ReadContent.#pinFork}).
   */
  readonly #pinning = new Map<
    Call,
    { readonly step: number; readonly shown: { c: CloneNode; page: number; bytes: Uint8Array }[] }
  >();
  /**
   * Each ZERO in progress naming a clone (through views or not): the step it began in and what
   * the clone showed then on the partial pages of its range, where the model knew them
   * ({@linkcode ReadContent.#zeroFork}).
   */
  readonly #zeroPartials = new Map<
    Call,
    { readonly step: number; readonly shown: { c: CloneNode; page: number; bytes: Uint8Array }[] }
  >();

  protected override onStepEvent(e: KernelEvent, call: Call | undefined, world: World): void {
    const ps = world.kernel.pageSize;
    switch (e.k) {
      case "call":
        if (call !== undefined && isZero(call)) {
          this.#zeroing.set(call, new Map());
          this.#zeroBegins(call, world.step, ps);
        }
        if (call !== undefined && isUserWrite(call)) this.#loaded.set(call, bufferLoads(call));
        if (call !== undefined && call.name === "zx_bti_pin") this.#pinBegins(call, world.step, ps);
        this.#onCall(e.name, e.args, ps);
        return;
      case "ret":
        if (call !== undefined && call.name === e.name) {
          this.#progress.delete(call);
          this.#loaded.delete(call);
          if (call.name === "zx_vmar_map" && e.status === ZX_OK && "value" in e) {
            this.#mapped(call, e.value);
          }
          if (call.name === "zx_bti_pin") this.#pinFork(call, e.status, world.step);
          if (isZero(call)) this.#zeroFork(call, e.status, world.step);
          this.#judgeWriteEnd(call, e.status);
          this.#judgeUserCopy(call, e.status);
          this.#onRet(call, e.status, "handle" in e ? e.handle : undefined, ps);
          this.#zeroing.delete(call);
          if (call.name === "zx_vmo_set_size" && e.status === ZX_OK) {
            for (const c of this.#zeroing.keys()) {
              if (c.tid !== call.tid) this.#zeroing.set(c, null);
            }
          }
        }
        return;
      case "supply": {
        if (!e.inserted) return;
        const node = this.#byKoid.get(e.vmo);
        if (node?.kind !== "root") return;
        this.#foreign(undefined, node, e.page);
        const slot = pagerVmo(world, e.vmo)?.slots[e.page];
        node.content.set(
          e.page,
          slot === MARKER ? zeroPage(ps) : slot instanceof Page ? slot.peek().slice() : UNKNOWN,
        );
        return;
      }
      case "request": {
        if (call?.tid === e.tid) this.#judgeRequest(call, e, ps);
        const asked = this.#byKoid.get(e.vmo);
        if (asked !== undefined) this.#asked.add(asked);
        return;
      }
      case "store": {
        if (call?.tid === e.tid) {
          this.#userCopied(call, "out", e.bytes.length);
          this.#judgeStore(call, e, ps);
        }
        const node = this.#byKoid.get(e.vmo);
        if (node !== undefined) {
          for (let p = Math.floor(e.offset / ps); p * ps < e.offset + e.bytes.length; p++) {
            this.#foreign(e.tid, node, p);
          }
          this.#store(node, e.offset, e.bytes, ps);
        }
        return;
      }
      case "copy": {
        if (call?.tid === e.tid) this.#userCopied(call, "in", e.bytes.length);
        if (call?.tid === e.tid && isUserWrite(call)) this.#placeLoad(call, e, ps);
        if (call?.name === "zx_vmo_read" && call.tid === e.tid) {
          // The caller's coordinates: the handle it named, its offset and what it got so far.
          const node = this.#nodeOf(call.args[0]);
          const done = this.#progress.get(call) ?? 0;
          this.#progress.set(call, done + e.bytes.length);
          const offset = call.args[1];
          if (node === undefined || typeof offset !== "number") return;
          this.#judge(node, offset + done, e.bytes, ps, e.tid, `vmo${e.vmo}`);
          return;
        }
        const node = this.#byKoid.get(e.vmo);
        if (node !== undefined) this.#judge(node, e.offset, e.bytes, ps, e.tid, `vmo${e.vmo}`);
        return;
      }
    }
  }

  /**
   * R3: a request a call makes of a pager root lies inside the pages the call names, translated
   * to the root by this model's own record of the slices, references and clones between (spec
   * 3.4: a READ starts at the first absent page the operation needs and extends at most over
   * the pages it intends to touch; a DIRTY covers pages the write or pin touches). Calls with a
   * user buffer are left out: its copies fault on their own VMO.
   */
  #judgeRequest(call: Call, e: KernelEvent & { k: "request" }, ps: number): void {
    const range = pagesOfCall(call, ps);
    if (range === undefined || range.first >= range.last) return;
    const node = this.#nodeOf(range.handle);
    const at = node === undefined ? null : resolve(node, range.first);
    if (at === null) return;
    const root = at.node.kind === "clone" ? at.node.root : at.node;
    if (this.#byKoid.get(e.vmo) !== root) return;
    const shift = at.page - range.first + (at.node.kind === "clone" ? at.node.offset : 0);
    const [from, to] = [range.first + shift, range.last + shift];
    if (e.start < from || e.end > to) {
      this.fail(
        "R3",
        `t${call.tid} ${call.name} of pages [${range.first},${range.last}) asked ${e.type} ` +
          `#${e.id} [${e.start},${e.end}) of vmo${e.vmo}, outside its pages there [${from},${to})`,
      );
      return;
    }
    if (e.type === "READ" && at.node.kind === "clone") {
      // A READ through a clone never asks for a page the clone holds, forked by itself or by a
      // clone it was made of (spec 3.4: truncated "for clones at the first offset where an
      // intermediate clone owns a page (so forked pages are never requested)"; pager.cc
      // EvictionHintsWithClones @ misttech/fuchsia 6774606f: no READ for a page the clone
      // forked, nor through a second-level clone for one the intermediate clone forked). Only
      // pages the model knows the bytes of: a store made them the clone's, or they were copied
      // from one that did.
      const c = at.node;
      for (let r = e.start; r < e.end; r++) {
        const mine = c.own.get(r - c.offset);
        if (mine === undefined || mine === UNKNOWN) continue;
        this.fail(
          "R3",
          `t${call.tid} ${call.name} of pages [${range.first},${range.last}) asked READ ` +
            `#${e.id} [${e.start},${e.end}) of vmo${e.vmo}, but the clone it reads holds ` +
            `page ${r - c.offset} (the root's page ${r}) already`,
        );
        return;
      }
    }
    if (e.type !== "READ" || root.kind !== "root" || root.anonymous) return;
    if (this.#asked.has(root) || this.#resized.has(root)) return;
    const whole = call.name === "zx_vmo_read" ||
      (call.name === "zx_vmo_op_range" && call.args[1] === ZX_VMO_OP_COMMIT);
    if (!whole) return;
    let end = Math.min(to, root.pages);
    if (at.node.kind === "clone") {
      const c = at.node;
      if (c.allLoose || c.own.size !== 0 || c.loose.size !== 0) return;
      end = Math.min(end, c.offset + c.limit);
    }
    // The first request of a VMO holding no page in the call's range (else not R5's case): the
    // READ asks from the range's first page to where upstream's stops (the shared rule).
    if (end > from && readRequestEnd(from, end, (p) => root.content.has(p)) !== end) return;
    if (e.start !== from || e.end !== end) {
      this.fail(
        "R5",
        `t${call.tid} ${call.name} of pages [${range.first},${range.last}) asked READ #${e.id} ` +
          `[${e.start},${e.end}) of vmo${e.vmo}, which holds none of them and was asked nothing ` +
          `before: the READ covers [${from},${end})`,
      );
    }
  }

  /** Page `page` of `node` changed by thread `tid` (undefined: a supply) while ZEROs ran. */
  #foreign(tid: number | undefined, node: Node, page: number): void {
    for (const [c, pages] of this.#zeroing) {
      if (c.tid === tid || pages === null) continue;
      let set = pages.get(node);
      if (set === undefined) pages.set(node, set = new Set());
      set.add(page);
    }
  }

  /**
   * R4: a store of a direct `zx_vmo_write` lands where the model's translation of the caller's
   * next byte puts it; a store of ZERO holds zeros and lands inside the translated range.
   */
  #judgeStore(call: Call, e: KernelEvent & { k: "store" }, ps: number): void {
    const direct = call.name === "zx_vmo_write";
    if (!direct && !isZero(call)) return;
    if (isUserWrite(call)) this.#judgeStoredLoads(call, e);
    const node = this.#nodeOf(call.args[0]);
    const [offset, length] = direct ? [call.args[2], call.args[1]] : [call.args[2], call.args[3]];
    if (node === undefined || typeof offset !== "number" || typeof length !== "number") return;
    const landed = this.#byKoid.get(e.vmo);
    const where = `vmo${e.vmo} [0x${e.offset.toString(16)},0x${
      (e.offset + e.bytes.length).toString(16)
    })`;
    if (direct) {
      const done = this.#stored.get(call) ?? 0;
      this.#stored.set(call, done + e.bytes.length);
      const next = offset + done;
      const base = resolve(node, Math.floor(next / ps));
      if (base === null) return;
      const want = base.page * ps + next % ps;
      if (landed !== base.node || e.offset !== want) {
        this.fail(
          "R4",
          `t${call.tid} zx_vmo_write of 0x${length.toString(16)} bytes at 0x${
            offset.toString(16)
          } stored its byte 0x${done.toString(16)} at ${where}; the model puts it at 0x${
            want.toString(16)
          } of ${landed === base.node ? "that VMO" : "another VMO"}`,
        );
      }
      return;
    }
    if (e.bytes.some((b) => b !== 0)) {
      this.fail("R4", `t${call.tid} ZERO stored a byte that is not zero at ${where}`);
      return;
    }
    if (landed === undefined) return;
    // The caller's page that the model translates to the store's page, if any.
    const page = Math.floor(e.offset / ps);
    const inPage = e.offset - page * ps;
    for (let p = Math.floor(offset / ps); p < Math.ceil((offset + length) / ps); p++) {
      const base = resolve(node, p);
      if (base === null) return; // a page the model does not follow: unjudged
      if (base.node !== landed || base.page !== page) continue;
      const from = p * ps + inPage;
      if (from >= offset && from + e.bytes.length <= offset + length) return;
      break;
    }
    this.fail(
      "R4",
      `t${call.tid} ZERO of [0x${offset.toString(16)},0x${
        (offset + length).toString(16)
      }) stored zeros at ${where}, outside its range there`,
    );
  }

  /** R4: a `zx_vmo_write` that returns ZX_OK stored every byte it names. */
  #judgeWriteEnd(call: Call, status: number): void {
    const stored = this.#stored.get(call) ?? 0;
    this.#stored.delete(call);
    const length = call.args[1];
    if (call.name !== "zx_vmo_write") return;
    if (status === ZX_OK && typeof length === "number" && stored < length) {
      this.fail(
        "R4",
        `t${call.tid} zx_vmo_write returned ZX_OK having stored ${stored} of its ${length} bytes`,
      );
    }
  }

  /** A `zx_vmar_map` that returned `addr`: its own VMO and offset shown there, over its length. */
  #mapped(call: Call, addr: number | undefined): void {
    const [, , , handle, vmoOffset, len] = call.args;
    if (typeof addr !== "number" || typeof vmoOffset !== "number" || typeof len !== "number") {
      return;
    }
    this.#unmapped(addr, len);
    const node = this.#nodeOf(handle);
    if (node !== undefined) this.#mappings.push({ addr, len, node, vmoOffset });
  }

  /** Drops every recorded mapping that overlaps `[addr, addr + len)` (the model unmaps whole mappings). */
  #unmapped(addr: number, len: number): void {
    this.#mappings = this.#mappings.filter((m) => m.addr + m.len <= addr || m.addr >= addr + len);
  }

  /**
   * R6: a load of a `zx_vmo_write` from a user buffer came from its buffer: the one buffer byte
   * whose address the recorded mappings translate to the load's VMO and offset. Kept by buffer
   * byte for the stores; a load no recorded mapping can place leaves the call unjudged.
   */
  #placeLoad(call: Call, e: KernelEvent & { k: "copy" }, ps: number): void {
    const loads = this.#loaded.get(call);
    if (loads === undefined || loads.bytes === null) return;
    const landed = this.#byKoid.get(e.vmo);
    const buffer = call.args[3] as number;
    const length = loads.bytes.length;
    let known = landed !== undefined;
    let at = -1;
    let places = 0;
    for (let i = 0; known && i < length;) {
      const a = buffer + i;
      const m = this.#mappings.find((r) => a >= r.addr && a < r.addr + r.len);
      const o = m === undefined ? 0 : m.vmoOffset + (a - m.addr);
      const base = m === undefined ? null : resolve(m.node, Math.floor(o / ps));
      if (m === undefined || base === null) {
        known = false;
        break;
      }
      const n = Math.min(length - i, ps - (o % ps), m.addr + m.len - a);
      const from = base.page * ps + (o % ps);
      if (base.node === landed && e.offset >= from && e.offset < from + n) {
        places++;
        at = i + e.offset - from;
      }
      i += n;
    }
    if (!known || places > 1) {
      loads.bytes = null;
      return;
    }
    if (places === 0 || at + e.bytes.length > length) {
      this.fail(
        "R6",
        `t${call.tid} zx_vmo_write from the user buffer [0x${buffer.toString(16)},0x${
          (buffer + length).toString(16)
        }) loaded 0x${e.bytes.length.toString(16)} bytes at vmo${e.vmo} 0x${
          e.offset.toString(16)
        }, which the mappings the model saw made put ${
          places === 0 ? "outside the buffer" : `at buffer byte 0x${at.toString(16)}, past its end`
        }`,
      );
    }
    loads.bytes.set(e.bytes, at);
    loads.have.fill(1, at, at + e.bytes.length);
  }

  /**
   * R6: a store of a `zx_vmo_write` from a user buffer holds, as the caller's next bytes (the
   * count its earlier stores wrote), what its loads took from those bytes of the buffer.
   */
  #judgeStoredLoads(call: Call, e: KernelEvent & { k: "store" }): void {
    const loads = this.#loaded.get(call);
    if (loads === undefined || loads.bytes === null) return;
    const done = this.#stored.get(call) ?? 0;
    for (let k = 0; k < e.bytes.length; k++) {
      const i = done + k;
      if (i < loads.have.length && loads.have[i] === 1 && loads.bytes[i] === e.bytes[k]) continue;
      const held = i < loads.have.length && loads.have[i] === 1
        ? `its buffer held 0x${loads.bytes[i].toString(16)} there`
        : "it never loaded that byte of its buffer";
      this.fail(
        "R6",
        `t${call.tid} zx_vmo_write from a user buffer stored 0x${
          e.bytes[k].toString(16)
        } as its byte 0x${i.toString(16)} at vmo${e.vmo} 0x${(e.offset + k).toString(16)}; ${held}`,
      );
    }
  }

  /** `n` bytes a call's own copy moved `dir` (out: stored into user memory; in: loaded from it). */
  #userCopied(call: Call, dir: "out" | "in", n: number): void {
    if (userCopyOf(call)?.dir === dir) this.#moved.set(call, (this.#moved.get(call) ?? 0) + n);
  }

  /**
   * A call with a user buffer that returns ZX_OK copied every byte of it (zx_vmo_read.md,
   * zx_vmo_write.md, zx_object_get_info.md: the buffer is read or filled whole), each page of
   * the copy a load or store event of the caller (a retried copy may repeat one: at least).
   */
  #judgeUserCopy(call: Call, status: number): void {
    const copy = userCopyOf(call);
    if (copy === undefined) return;
    const moved = this.#moved.get(call) ?? 0;
    this.#moved.delete(call);
    if (status === ZX_OK && moved < copy.length) {
      this.fail(
        "R2",
        `t${call.tid} ${call.name} returned ZX_OK having copied ${moved} of the ${copy.length} bytes ${
          copy.dir === "out" ? "into" : "from"
        } its user buffer`,
      );
    }
  }

  /** Notes what the clone pages a `zx_bti_pin` names show as it begins ({@linkcode ReadContent.#pinFork}). */
  #pinBegins(call: Call, step: number, ps: number): void {
    const node = this.#nodeOf(call.args[2]);
    const [, , , offset, size] = call.args;
    if (node === undefined || typeof offset !== "number" || typeof size !== "number") return;
    const shown: { c: CloneNode; page: number; bytes: Uint8Array }[] = [];
    // At most `PIN_PAGES_NOTED` pages (a pin of a huge range fails, or leaves the rest loose).
    // (A range past 2^53 bytes is no VMO's: such a pin fails, and `p++` would not move there.)
    if (!Number.isSafeInteger(offset + size)) return;
    const first = Math.floor(offset / ps);
    const last = Math.min(Math.ceil((offset + size) / ps), first + PIN_PAGES_NOTED);
    for (let p = first; p < last; p++) {
      const base = resolve(node, p);
      if (base === null || base.node.kind !== "clone") continue;
      const bytes = clonePage(base.node, base.page, ps);
      if (bytes !== UNKNOWN) shown.push({ c: base.node, page: base.page, bytes: bytes.slice() });
    }
    if (shown.length > 0) this.#pinning.set(call, { step, shown });
  }

  /**
   * A `zx_bti_pin` of a clone commits its pages first, forking each from what the clone shows
   * (`VmObjectPaged::CommitRangeInternal` with `pin`, vm_object_paged.cc @ misttech/fuchsia
   * 056f3590; a clone page forked from its parent's, `RequireOwnedPage`'s copy-on-write,
   * vm_cow_pages.cc @ misttech/fuchsia 030dcba0). The moment of the fork is the model's to see
   * only when the pin began and returned ZX_OK in one step: it never parked, and no other thread
   * ran, so each page it names is the clone's own now, holding what the clone showed when it
   * began (and no longer loose). A pin that parked (a READ of the root) is left loose.
   */
  #pinFork(call: Call, status: number, step: number): void {
    const pin = this.#pinning.get(call);
    if (pin === undefined) return;
    this.#pinning.delete(call);
    if (status !== ZX_OK || pin.step !== step) return;
    for (const { c, page, bytes } of pin.shown) {
      c.own.set(page, bytes);
      c.loose.delete(page);
      c.inherited?.delete(page);
    }
  }

  /**
   * Notes what the clone pages a ZERO only partly covers show as it begins
   * ({@linkcode ReadContent.#zeroFork}).
   */
  #zeroBegins(call: Call, step: number, ps: number): void {
    const node = this.#nodeOf(call.args[0]);
    const [, , offset, size] = call.args;
    if (node === undefined || typeof offset !== "number" || typeof size !== "number") return;
    if (size <= 0 || !Number.isSafeInteger(offset + size)) return;
    const first = Math.floor(offset / ps);
    const last = Math.ceil((offset + size) / ps) - 1;
    const shown: { c: CloneNode; page: number; bytes: Uint8Array }[] = [];
    for (const p of first === last ? [first] : [first, last]) {
      // A whole page is set to zeros by the ZERO's return (R4); only a partial one is noted.
      if (p * ps >= offset && (p + 1) * ps <= offset + size) continue;
      const base = resolve(node, p);
      if (base === null || base.node.kind !== "clone") continue;
      const bytes = clonePage(base.node, base.page, ps);
      if (bytes !== UNKNOWN) shown.push({ c: base.node, page: base.page, bytes: bytes.slice() });
    }
    if (shown.length > 0) this.#zeroPartials.set(call, { step, shown });
  }

  /**
   * R4 on a clone's partial page: a ZERO that covers part of a clone page writes its zeros through
   * the write path (`ZeroPartialPage`, vm_object_paged.cc @ misttech/fuchsia 056f3590), which
   * forks the page from what the clone shows (a clone's gap over its parent does not read as
   * zero: `PageWouldReadZeroLocked`, vm_cow_pages.cc @ 030dcba0). As for a pin
   * ({@linkcode ReadContent.#pinFork}), the moment of the fork is the model's to see only when the
   * ZERO began and returned ZX_OK in one step (it never parked on a READ of the root, and no other
   * thread ran): the page is then the clone's own, holding what the clone showed when the ZERO
   * began, and the ZERO's return sets its range to zeros over it. One that parked stays loose.
   */
  #zeroFork(call: Call, status: number, step: number): void {
    const zero = this.#zeroPartials.get(call);
    if (zero === undefined) return;
    this.#zeroPartials.delete(call);
    if (status !== ZX_OK || zero.step !== step) return;
    for (const { c, page, bytes } of zero.shown) {
      c.own.set(page, bytes);
      c.loose.delete(page);
      c.inherited?.delete(page);
    }
  }

  /** The node of the VMO a handle names (undefined: no VMO, or one the model never saw made). */
  #nodeOf(handle: unknown): Node | undefined {
    const v = this.vmoOf(handle);
    return v === undefined ? undefined : this.#byKoid.get(v.koid);
  }

  #remember(handle: unknown, node: Node): void {
    const v = this.vmoOf(handle);
    if (v !== undefined) this.#byKoid.set(v.koid, node);
  }

  /** What a call may change before it returns, with no event of its own. */
  #onCall(name: string, args: readonly unknown[], ps: number): void {
    switch (name) {
      case "zx_vmo_op_range": {
        const node = this.#nodeOf(args[0]);
        const [, op, offset, size] = args;
        if (node === undefined || typeof offset !== "number" || typeof size !== "number") return;
        // COMMIT forks a clone's pages, and ZERO replaces a clone's whole pages with no store
        // event, while the call may still park on a partial page: loose from the call on.
        if (op === ZX_VMO_OP_COMMIT || op === ZX_VMO_OP_ZERO) {
          this.#loosen(node, Math.floor(offset / ps), Math.ceil((offset + size) / ps));
        }
        return;
      }
      case "zx_bti_pin": {
        const node = this.#nodeOf(args[2]);
        const [, , , offset, size] = args;
        if (node === undefined || typeof offset !== "number" || typeof size !== "number") return;
        this.#loosen(node, Math.floor(offset / ps), Math.ceil((offset + size) / ps));
        return;
      }
      case "zx_vmar_map": {
        const node = this.#nodeOf(args[3]);
        if (node !== undefined) this.#loosen(node, 0, Infinity);
        return;
      }
      case "zx_vmar_unmap": {
        const [, addr, len] = args;
        if (typeof addr === "number" && typeof len === "number") this.#unmapped(addr, len);
        else this.#mappings = [];
        return;
      }
      case "zx_vmar_destroy":
        this.#mappings = [];
        return;
      case "zx_vmar_op_range":
        for (const node of this.#byKoid.values()) {
          if (node.kind === "clone") allUnknown(node);
        }
        return;
      case "zx_pager_supply_pages": {
        // The aux pages move into the pager VMO before the call can still fail.
        const node = this.#nodeOf(args[4]);
        const [, , , length, , auxOffset] = args;
        if (node === undefined || typeof length !== "number" || typeof auxOffset !== "number") {
          return;
        }
        this.#unknown(node, Math.floor(auxOffset / ps), Math.ceil((auxOffset + length) / ps));
        return;
      }
    }
  }

  #onRet(call: Call, status: number, handle: unknown, ps: number): void {
    const a = call.args;
    if (status !== ZX_OK && call.name !== "zx_vmo_op_range") return;
    switch (call.name) {
      case "zx_vmo_create":
        this.#remember(handle, root(a[0], true, false, ps));
        return;
      case "zx_vmo_create_contiguous":
        this.#remember(handle, root(a[1], true, true, ps));
        return;
      case "zx_pager_create_vmo":
        this.#remember(handle, root(a[4], false, false, ps));
        return;
      case "zx_vmo_create_child":
        this.#remember(handle, this.#child(this.#nodeOf(a[0]), a[1], a[2], a[3], ps));
        return;
      case "zx_vmo_set_size": {
        const node = this.#nodeOf(a[0]);
        if (node !== undefined && typeof a[1] === "number") this.#resize(node, a[1], ps);
        return;
      }
      case "zx_vmo_op_range": {
        const node = this.#nodeOf(a[0]);
        const [, op, offset, size] = a;
        if (node === undefined || typeof offset !== "number" || typeof size !== "number") return;
        if (op !== ZX_VMO_OP_ZERO && op !== ZX_VMO_OP_DECOMMIT) return;
        const first = Math.floor(offset / ps);
        const last = Math.ceil((offset + size) / ps);
        const base = resolve(node, first);
        if (base === null) return;
        if (status === ZX_OK && op === ZX_VMO_OP_ZERO && isPagerRoot(base.node)) {
          // R4: the whole range reads zeros, from the call's own range (not its stores), but
          // where another thread or a supply changed a page while it ran.
          const foreign = this.#zeroing.get(call);
          if (foreign === null) return;
          byPage(offset, size, ps, (page, at, _i, n) => {
            const b = resolve(node, page);
            if (b === null || foreign?.get(b.node)?.has(b.page)) return;
            this.#store(node, page * ps + at, new Uint8Array(n), ps);
          });
          return;
        }
        if (isPagerRoot(base.node)) return; // a pager root's failed ZERO: its stores tell
        if (status !== ZX_OK) {
          // Done in part, with no event: what it reached is not known.
          this.#unknown(node, first, last);
        } else if (op === ZX_VMO_OP_ZERO) {
          // Done in full: the range reads zeros (an anonymous or contiguous VMO's whole pages
          // and a clone's change with no store event), and a clone's whole pages are its own.
          this.#store(node, offset, new Uint8Array(size), ps);
          if (base.node.kind === "clone") {
            for (let p = Math.ceil(offset / ps); p < Math.floor((offset + size) / ps); p++) {
              base.node.loose.delete(base.page + p - first);
            }
          }
        } else if (base.node.kind === "root" && base.node.anonymous) {
          // DECOMMIT: an anonymous VMO's pages read zeros again; a contiguous one's are lent.
          const r = base.node;
          for (let p = base.page; p < base.page + last - first; p++) {
            if (r.contiguous) r.content.set(p, UNKNOWN);
            else r.content.delete(p);
          }
        }
        return;
      }
      case "zx_pager_supply_pages": {
        // An anonymous aux VMO's range reads zeros once its pages moved.
        const node = this.#nodeOf(a[4]);
        const [, , , length, , auxOffset] = a;
        if (node?.kind !== "root" || !node.anonymous || node.contiguous) return;
        if (typeof length !== "number" || typeof auxOffset !== "number") return;
        for (let p = auxOffset / ps; p < (auxOffset + length) / ps; p++) node.content.delete(p);
        return;
      }
    }
  }

  /** The node `zx_vmo_create_child(parent, options, offset, size)` made. */
  #child(parent: Node | undefined, o: unknown, off: unknown, size: unknown, ps: number): Node {
    if (parent === undefined || typeof o !== "number") return OPAQUE;
    if (typeof off !== "number" || typeof size !== "number") return OPAQUE;
    const offset = off / ps;
    const pages = Math.ceil(size / ps);
    if (o & ZX_VMO_CHILD_SLICE) return { kind: "view", parent, offset, extent: pages };
    if (o & ZX_VMO_CHILD_REFERENCE) return { kind: "view", parent, offset: 0, extent: Infinity };
    if (!(o & (ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_SNAPSHOT_MODIFIED))) {
      return OPAQUE;
    }
    // Through slices and references to the pager root it clones.
    let node = parent;
    let at = offset;
    let extent = Infinity;
    while (node.kind === "view") {
      extent = Math.min(extent, node.extent - at);
      at += node.offset;
      node = node.parent;
    }
    if (node.kind === "clone" && o & ZX_VMO_CHILD_SNAPSHOT_MODIFIED) {
      // A snapshot of a clone of a clone is not followed.
      return node.inherited === undefined ? snapshotOfClone(node, at, pages, extent) : OPAQUE;
    }
    if (node.kind === "clone" && node.snapshot !== true) {
      return cloneOfClone(node, at, pages, extent);
    }
    if (node.kind !== "root" || node.anonymous) return OPAQUE;
    const clone: CloneNode = {
      kind: "clone",
      root: node,
      offset: at,
      pages,
      limit: Math.max(0, Math.min(pages, node.pages - at)),
      extent: Math.max(0, extent),
      own: new Map(),
      loose: new Set(),
      allLoose: false,
    };
    node.clones.push(clone);
    return clone;
  }

  /** A successful `zx_vmo_set_size` of `node` to `size` bytes. */
  #resize(node: Node, size: number, ps: number): void {
    const pages = Math.ceil(size / ps);
    if (node.kind === "root") {
      this.#resized.add(node);
      if (pages < node.pages) {
        for (const p of [...node.content.keys()]) if (p >= pages) node.content.delete(p);
        // Children lose sight of the cut tail for good (CloneShrinkGrowParent).
        for (const c of node.clones) c.limit = Math.max(0, Math.min(c.limit, pages - c.offset));
      }
      node.pages = pages;
      if (size % ps !== 0) zeroTail(node, pages - 1, size % ps);
    } else if (node.kind === "clone") {
      if (pages < node.pages) {
        for (const p of [...node.own.keys()]) if (p >= pages) node.own.delete(p);
        node.limit = Math.min(node.limit, pages);
      }
      node.pages = pages;
      if (size % ps !== 0) node.own.set(pages - 1, UNKNOWN);
      // Its children saw its old size (hung from it) or not (hung higher): not followed.
      for (const d of node.children ?? []) allUnknown(d.node);
    } else if (node.kind === "view") {
      // A reference resized its root: the model stops following the root.
      const base = resolve(node, 0);
      if (base?.node.kind === "root") markAllUnknown(base.node);
    }
  }

  /** Pages `[first, last)` of `node` may change unseen: unknown (clones: loose). */
  #unknown(node: Node, first: number, last: number): void {
    if (node.kind === "view") {
      const base = resolve(node, first);
      if (base === null) return;
      this.#unknown(base.node, base.page, base.page + (last - first));
    } else if (node.kind === "root") {
      for (let p = first; p < Math.min(last, node.pages); p++) node.content.set(p, UNKNOWN);
    } else if (node.kind === "clone") {
      this.#loosen(node, first, last);
    }
  }

  /** Pages `[first, last)` of a clone (through views) may be forked at an unseen moment. */
  #loosen(node: Node, first: number, last: number): void {
    if (node.kind === "view") {
      const base = resolve(node, first);
      if (base !== null) this.#loosen(base.node, base.page, base.page + (last - first));
    } else if (node.kind === "clone") {
      if (!Number.isFinite(last) || last - first > node.pages) {
        node.allLoose = true;
        for (const d of node.children ?? []) allUnknown(d.node);
      } else {
        for (let p = first; p < last; p++) {
          node.loose.add(p);
          followChanged(node, p);
        }
      }
    }
  }

  /** Applies a store of `bytes` at `offset` of `node` (where the kernel says it landed). */
  #store(node: Node, offset: number, bytes: Uint8Array, ps: number): void {
    byPage(offset, bytes.length, ps, (page, at, i, n) => {
      const base = resolve(node, page);
      const chunk = bytes.subarray(i, i + n);
      if (base?.node.kind === "root") {
        const r = base.node;
        r.content.set(base.page, overlay(rootPage(r, base.page, ps), chunk, at, ps));
      } else if (base?.node.kind === "clone") {
        const c = base.node;
        c.own.set(base.page, overlay(clonePage(c, base.page, ps), chunk, at, ps));
        c.inherited?.delete(base.page);
        followChanged(c, base.page);
      }
    });
  }

  /** Fails unless `bytes`, read at `offset` of `node`, are what the model holds there. */
  #judge(node: Node, offset: number, bytes: Uint8Array, ps: number, tid: number, where: string) {
    byPage(offset, bytes.length, ps, (page, at, i, n) => {
      const want = pageOf(node, page, ps);
      if (want === UNKNOWN) return;
      for (let k = 0; k < n; k++) {
        if (bytes[i + k] === want[at + k]) continue;
        const byte = (offset + i + k).toString(16);
        const got = bytes[i + k].toString(16);
        this.fail(
          "R1",
          `t${tid} read byte 0x${byte} of its VMO (the kernel says ${where}) = 0x${got}; ` +
            `the model of its content says 0x${want[at + k].toString(16)}`,
        );
      }
    });
  }
}

/** Calls `f(page, at, i, n)` for each page `length` bytes from `offset` touch: `n` bytes of the
 * range's from its byte `i` lie in `page` from its byte `at`. */
function byPage(
  offset: number,
  length: number,
  ps: number,
  f: (page: number, at: number, i: number, n: number) => void,
): void {
  for (let i = 0; i < length;) {
    const page = Math.floor((offset + i) / ps);
    const at = offset + i - page * ps;
    const n = Math.min(length - i, ps - at);
    f(page, at, i, n);
    i += n;
  }
}

/** What page `page` of `node` holds, through views, in the model. */
function pageOf(node: Node, page: number, ps: number): Content {
  const base = resolve(node, page);
  if (base === null) return UNKNOWN;
  return base.node.kind === "root"
    ? rootPage(base.node, base.page, ps)
    : clonePage(base.node, base.page, ps);
}

function root(size: unknown, anonymous: boolean, contiguous: boolean, ps: number): Node {
  if (typeof size !== "number") return OPAQUE;
  return {
    kind: "root",
    anonymous,
    contiguous,
    pages: Math.ceil(size / ps),
    content: new Map(),
    clones: [],
  };
}

/** Whether `call` is a ZERO (`zx_vmo_op_range` with ZX_VMO_OP_ZERO). */
function isZero(call: Call): boolean {
  return call.name === "zx_vmo_op_range" && call.args[1] === ZX_VMO_OP_ZERO;
}

function isPagerRoot(node: Node): boolean {
  return node.kind === "root" && !node.anonymous;
}

/**
 * An unaligned `zx_vmo_set_size` of root `r`: "The data in the VMO between the given size and the
 * end of the VMO (i.e., the next page boundary) will be overwritten with zeros"
 * (reference/syscalls/vmo_set_size.md, FuchsiaOS/FuchsiaOS-docs-zh_CN, the upstream text). A known
 * last page keeps its first `tail` bytes and reads zeros after them; an anonymous absent one
 * reads zeros whole; one not known stays unknown. (A pager page evicted before the resize is
 * supplied again later, and the supply sets what it holds.)
 */
function zeroTail(r: RootNode, page: number, tail: number): void {
  const c = r.content.get(page);
  if (c instanceof Uint8Array) {
    const z = c.slice();
    z.fill(0, tail);
    r.content.set(page, z);
  } else if (c === undefined && r.anonymous) return;
  else r.content.set(page, UNKNOWN);
}

function markAllUnknown(r: RootNode): void {
  for (let p = 0; p < r.pages && p < 1 << 20; p++) r.content.set(p, UNKNOWN);
  for (const c of r.clones) c.allLoose = true;
}

/** The node that holds page `page` of `node` (through views), and its page there. */
function resolve(node: Node, page: number): { node: RootNode | CloneNode; page: number } | null {
  let n = node;
  let p = page;
  while (n.kind === "view") {
    if (p >= n.extent) return null;
    p += n.offset;
    n = n.parent;
  }
  return n.kind === "opaque" ? null : { node: n, page: p };
}

function rootPage(r: RootNode, page: number, ps: number): Content {
  return r.content.get(page) ?? (r.anonymous ? zeroPage(ps) : UNKNOWN);
}

/**
 * A clone's page: its own if it forked it; unknown if it may have forked it unseen or lies past
 * the view it was made from; zeros past its parent limit; else the root's current page.
 */
function clonePage(c: CloneNode, page: number, ps: number): Content {
  const own = c.own.get(page);
  if (own !== undefined) return own;
  if (c.allLoose || c.loose.has(page) || page >= c.extent) return UNKNOWN;
  if (page >= c.limit) return zeroPage(ps);
  return rootPage(c.root, page + c.offset, ps);
}

/** `base` with `chunk` written at `at` (a new array; a whole page needs no base). */
function overlay(base: Content, chunk: Uint8Array, at: number, ps: number): Content {
  if (at === 0 && chunk.length === ps) return chunk.slice();
  if (base === UNKNOWN) return UNKNOWN;
  const page = base.slice();
  page.set(chunk, at);
  return page;
}
