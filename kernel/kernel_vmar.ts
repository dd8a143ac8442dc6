/**
 * The syscall layer's address-space and device-pinning calls, as Zircon keeps
 * them in `lib/syscalls/vmar.cc` and `lib/syscalls/ddk.cc`: `zx_vmar_*`
 * (map, unmap, allocate, destroy, protect, op_range), loads and stores through
 * a mapping, and `zx_bti_create`, `zx_bti_pin`, `zx_pmt_unpin`. Argument and
 * handle checks in Zircon's order, then a call down to `VmoPages`;
 * `Kernel` (./kernel.ts) adds the other call families on top.
 *
 * @module
 */

import {
  type Status,
  ZX_BTI_COMPRESS,
  ZX_BTI_CONTIGUOUS,
  ZX_BTI_PERM_EXECUTE,
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_DEFAULT_BTI_RIGHTS,
  ZX_DEFAULT_PMT_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_COMPACT,
  ZX_VM_MAP_RANGE,
  ZX_VM_PERM_EXECUTE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VM_SPECIFIC_OVERWRITE,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
} from "./constants.ts";
import { assert } from "./assert.ts";
import { KernelObjects } from "./kernel_objects.ts";
import { Bti, type KernelThread, type Mapping, Pmt, Vmar, type Vmo } from "./objects.ts";
import type { CallArgs as In, CallImpl as Out } from "./syscalls.ts";
import { isU64 } from "./vmo_pages.ts";
import type { Syscall } from "./yields.ts";

/**
 * The VMAR and BTI/PMT calls of the syscall layer, between the object layer
 * ({@linkcode KernelObjects}) and `Kernel`, which exposes them as the
 * `zx_*` rows of `SYSCALLS`. Not constructed on its own.
 *
 * @example
 * ```ts
 * import { Kernel } from "./kernel.ts";
 * import { VmarCalls } from "./kernel_vmar.ts";
 * const kernel = new Kernel({ pageSize: 64 });
 * console.assert(kernel instanceof VmarCalls);
 * ```
 */
export class VmarCalls extends KernelObjects {
  // ---------------------------------------------------------------- mappings

  /**
   * `zx_vmar_map(vmar, options, vmar_offset, vmo, vmo_offset, len, *addr)`; vmar_offset only with
   * `ZX_VM_SPECIFIC` or `ZX_VM_SPECIFIC_OVERWRITE` (which replaces whole mappings).
   */
  protected vmarMap(
    _t: KernelThread,
    ...[vmar, options, vmarOffset, vmo, vmoOffset, len]: In<"zx_vmar_map">
  ): Out<"zx_vmar_map"> {
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
    if (!r.ok) return r.status;
    const writable = (options & ZX_VM_PERM_WRITE) !== 0;
    const v = this.handles.get<Vmo>(vmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP);
    if (!v.ok) return v.status;
    // A write-only mapping is invalid before the VMO's READ/WRITE rights are looked at.
    if (writable && !(options & ZX_VM_PERM_READ)) return ZX_ERR_INVALID_ARGS;
    const need = ZX_RIGHT_READ | (writable ? ZX_RIGHT_WRITE : 0);
    if ((v.rights & need) !== need) return ZX_ERR_ACCESS_DENIED;
    const known = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE |
      ZX_VM_MAP_RANGE;
    if (!Number.isInteger(options) || (options & ~known) !== 0 || !(options & ZX_VM_PERM_READ)) {
      return ZX_ERR_INVALID_ARGS;
    }
    const specific = (options & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE)) !== 0;
    if (!specific && vmarOffset !== 0) return ZX_ERR_NOT_SUPPORTED;
    if (!this.aligned(vmoOffset) || !isU64(len) || len === 0 || !this.aligned(vmarOffset)) {
      return ZX_ERR_INVALID_ARGS;
    }
    // A sub-region's checks (the root passes them all): alive, its CAN_MAP_* flags and the
    // VMAR handle's rights bound the mapping (sys_vmar_map and VmAddressRegion::CreateVmMapping,
    // vsrinivas/fuchsia 2cf39818 zircon/kernel/lib/syscalls/vmar.cc).
    const region = r.object;
    if (region.destroyed) return ZX_ERR_BAD_STATE;
    const canWrite = (v.rights & ZX_RIGHT_WRITE) !== 0 && (r.rights & ZX_RIGHT_WRITE) !== 0 &&
      region.flags.write;
    if (
      (specific && !region.flags.specific) || !region.flags.read || !(r.rights & ZX_RIGHT_READ) ||
      (writable && !canWrite)
    ) return ZX_ERR_ACCESS_DENIED;
    // MAP_RANGE needs nothing here: the model has no page tables, so faults never differ.
    const mapping = {
      len: this.roundUp(len),
      vmo: v.object,
      vmoOffset,
      readable: true,
      writable,
      canWrite,
    };
    const overwrite = (options & ZX_VM_SPECIFIC_OVERWRITE) !== 0;
    const [st, at, replaced] = r.object.place(
      mapping,
      vmarOffset,
      specific,
      overwrite,
      this.pageSize,
    );
    for (const m of replaced) this.unmapped(m);
    if (st !== ZX_OK) return st;
    v.object.mappings++;
    return [ZX_OK, at];
  }

  /**
   * `zx_vmar_unmap(vmar, addr, len)`: the model unmaps whole mappings only. A sub-region the range
   * overlaps must lie wholly inside it (else INVALID_ARGS) and is destroyed as by
   * `zx_vmar_destroy` (zx_vmar_unmap.md @ gnoliyil/fuchsia 3a0300d1); the model does that for a
   * range that is exactly one sub-region (a range holding more than it is NOT_FOUND, as a range
   * over several mappings is). The model's VMAR handles carry no `ZX_RIGHT_OP_CHILDREN`.
   */
  protected vmarUnmap(
    _t: KernelThread,
    ...[vmar, addr, len]: In<"zx_vmar_unmap">
  ): Out<"zx_vmar_unmap"> {
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
    if (!r.ok) return r.status;
    if (!this.aligned(addr) || !isU64(len) || len === 0) return ZX_ERR_INVALID_ARGS;
    // `VmAddressRegion::Unmap` (vm_address_region.cc, every indexed revision): the size and
    // alignment checks, then BAD_STATE unless the region is ALIVE (zx_vmar_unmap.md: "handle
    // refers to a destroyed handle").
    if (r.object.destroyed) return ZX_ERR_BAD_STATE;
    const end = addr + this.roundUp(len);
    const regions = r.object.regions.filter((x) => x.base < end && addr < x.base + x.size);
    if (regions.some((x) => x.base < addr || x.base + x.size > end)) return ZX_ERR_INVALID_ARGS;
    if (regions.length > 0) {
      const [only] = regions;
      if (regions.length > 1 || only.base !== addr || only.size !== end - addr) {
        return ZX_ERR_NOT_FOUND;
      }
      for (const m of only.destroy()) this.unmapped(m);
      return ZX_OK;
    }
    const m = r.object.remove(addr, this.roundUp(len));
    if (m === undefined) return ZX_ERR_NOT_FOUND;
    this.unmapped(m);
    return ZX_OK;
  }

  /**
   * `zx_vmar_allocate(parent_vmar, options, offset, size, *child_vmar, *child_addr)`: a
   * sub-region, placed at `offset` with `ZX_VM_SPECIFIC`, else packed after the last placement
   * (`ZX_VM_COMPACT` is a hint the model always follows). The parent handle needs the rights
   * the CAN_MAP flags ask for, looked up before anything else (sys_vmar_allocate,
   * vsrinivas/fuchsia 2cf39818 zircon/kernel/lib/syscalls/vmar.cc); the child's handle has the
   * default VMAR rights less READ/WRITE/EXECUTE its CAN_MAP flags do not allow.
   */
  protected vmarAllocate(
    _t: KernelThread,
    ...[parent, options, offset, size]: In<"zx_vmar_allocate">
  ): Out<"zx_vmar_allocate"> {
    const o = Number.isInteger(options) ? options : 0;
    const need = (o & ZX_VM_CAN_MAP_READ ? ZX_RIGHT_READ : 0) |
      (o & ZX_VM_CAN_MAP_WRITE ? ZX_RIGHT_WRITE : 0) |
      (o & ZX_VM_CAN_MAP_EXECUTE ? ZX_RIGHT_EXECUTE : 0);
    const r = this.handles.get<Vmar>(parent, ZX_OBJ_TYPE_VMAR, need);
    if (!r.ok) return r.status;
    // PERM_* bits are MMU flags, which a region may not carry (VmAddressRegionDispatcher::Allocate).
    const known = ZX_VM_COMPACT | ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ |
      ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE;
    if (!Number.isInteger(options) || (options & ~known) !== 0) return ZX_ERR_INVALID_ARGS;
    if (!isU64(size) || size === 0 || !this.aligned(offset)) return ZX_ERR_INVALID_ARGS;
    const specific = (options & ZX_VM_SPECIFIC) !== 0;
    if (!specific && offset !== 0) return ZX_ERR_INVALID_ARGS;
    const region = r.object;
    if (region.destroyed) return ZX_ERR_BAD_STATE;
    const flags = {
      specific: (options & ZX_VM_CAN_MAP_SPECIFIC) !== 0,
      read: (options & ZX_VM_CAN_MAP_READ) !== 0,
      write: (options & ZX_VM_CAN_MAP_WRITE) !== 0,
      execute: (options & ZX_VM_CAN_MAP_EXECUTE) !== 0,
    };
    // A region can grant no more than its parent (VmAddressRegion::CreateSubVmarInternal).
    if (
      (specific && !region.flags.specific) || (flags.specific && !region.flags.specific) ||
      (flags.read && !region.flags.read) || (flags.write && !region.flags.write) ||
      (flags.execute && !region.flags.execute)
    ) return ZX_ERR_ACCESS_DENIED;
    const [st, child] = region.allocate(
      () => this.newKoid(),
      offset,
      this.roundUp(size),
      specific,
      flags,
      this.pageSize,
    );
    if (st !== ZX_OK) return st;
    assert(child !== null, () => "an allocated region exists");
    const rights = ZX_DEFAULT_VMAR_RIGHTS & ~(flags.read ? 0 : ZX_RIGHT_READ) &
      ~(flags.write ? 0 : ZX_RIGHT_WRITE) & ~(flags.execute ? 0 : ZX_RIGHT_EXECUTE);
    const [hs, h] = this.handles.add(child, rights);
    if (hs !== ZX_OK) {
      child.destroy();
      return hs;
    }
    return [ZX_OK, h, child.base];
  }

  /**
   * `zx_vmar_destroy(handle)`: unmaps everything in the region and its sub-regions, which can
   * hold nothing again; the root VMAR cannot be destroyed (VmAddressRegionDispatcher::Destroy).
   */
  protected vmarDestroy(
    _t: KernelThread,
    ...[vmar]: In<"zx_vmar_destroy">
  ): Out<"zx_vmar_destroy"> {
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
    if (!r.ok) return r.status;
    if (r.object === this.rootVmar) return ZX_ERR_NOT_SUPPORTED;
    if (r.object.destroyed) return ZX_ERR_BAD_STATE;
    for (const m of r.object.destroy()) this.unmapped(m);
    return ZX_OK;
  }

  /**
   * `zx_vmar_protect(handle, options, addr, len)`: new permissions for the mappings of
   * `[addr, addr + len)`, which must be mapped without a gap, directly in this region, and
   * allow no more than the mapping's VMO handle allowed when it was mapped
   * (sys_vmar_protect and VmAddressRegion::Protect, vsrinivas/fuchsia 2cf39818). The model
   * changes whole mappings only (NOT_SUPPORTED for a part of one), and a store through a
   * newly writable mapping still takes the trap-dirty fault path: protect grants no page.
   */
  protected vmarProtect(
    _t: KernelThread,
    ...[vmar, options, addr, len]: In<"zx_vmar_protect">
  ): Out<"zx_vmar_protect"> {
    const o = Number.isInteger(options) ? options : 0;
    const need = (o & ZX_VM_PERM_READ ? ZX_RIGHT_READ : 0) |
      (o & ZX_VM_PERM_WRITE ? ZX_RIGHT_WRITE : 0) |
      (o & ZX_VM_PERM_EXECUTE ? ZX_RIGHT_EXECUTE : 0);
    const r = this.handles.get<Vmar>(vmar, ZX_OBJ_TYPE_VMAR, need);
    if (!r.ok) return r.status;
    if (!this.aligned(addr)) return ZX_ERR_INVALID_ARGS;
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE;
    if (!Number.isInteger(options) || (options & ~perms) !== 0) return ZX_ERR_INVALID_ARGS;
    if ((options & (ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE)) && !(options & ZX_VM_PERM_READ)) {
      return ZX_ERR_INVALID_ARGS;
    }
    if (!isU64(len) || len === 0) return ZX_ERR_INVALID_ARGS;
    const region = r.object;
    if (region.destroyed) return ZX_ERR_BAD_STATE;
    const end = addr + this.roundUp(len);
    if (!region.contains(addr, end - addr)) return ZX_ERR_INVALID_ARGS;
    const hit: Mapping[] = [];
    for (let at = addr; at < end;) {
      const m = region.mappings.find((x) => at >= x.addr && at < x.addr + x.len);
      if (m === undefined) {
        const sub = region.regions.some((x) => at >= x.base && at < x.base + x.size);
        return sub ? ZX_ERR_INVALID_ARGS : ZX_ERR_NOT_FOUND;
      }
      if ((options & ZX_VM_PERM_WRITE && !m.canWrite) || options & ZX_VM_PERM_EXECUTE) {
        return ZX_ERR_ACCESS_DENIED;
      }
      hit.push(m);
      at = m.addr + m.len;
    }
    if (hit[0].addr !== addr || hit[hit.length - 1].addr + hit[hit.length - 1].len !== end) {
      return ZX_ERR_NOT_SUPPORTED;
    }
    for (const m of hit) {
      m.readable = (options & ZX_VM_PERM_READ) !== 0;
      m.writable = (options & ZX_VM_PERM_WRITE) !== 0;
    }
    return ZX_OK;
  }

  /**
   * `zx_vmar_op_range(handle, op, address, size, buffer, buffer_size)`: the VMO op on every
   * mapping of `[address, address + size)` in this region's tree, in address order, each
   * blocking as its VMO op does; a gap before or between mappings ends the walk with
   * BAD_STATE after the mappings before it were done (VmAddressRegionDispatcher::RangeOp and
   * VmAddressRegion::RangeOp, zircon/kernel/object/vm_address_region_dispatcher.cc and
   * zircon/kernel/vm/vm_address_region.cc). COMMIT and DECOMMIT need a handle with WRITE and
   * mappings that could be writable; MAP_RANGE and PREFETCH a handle with READ. ZERO is
   * outside the model (INVALID_ARGS, as an unknown op).
   */
  protected *vmarOpRange(
    t: KernelThread,
    ...[vmar, op, addr, len]: In<"zx_vmar_op_range">
  ): Syscall<Out<"zx_vmar_op_range">> {
    const e = this.handles.entry(vmar);
    if (e === undefined) return ZX_ERR_BAD_HANDLE;
    if (!(e.object instanceof Vmar)) return ZX_ERR_WRONG_TYPE;
    const region = e.object;
    const write = op === ZX_VMAR_OP_COMMIT || op === ZX_VMAR_OP_DECOMMIT;
    const read = op === ZX_VMAR_OP_MAP_RANGE || op === ZX_VMAR_OP_PREFETCH;
    if (!write && !read && op !== ZX_VMAR_OP_ALWAYS_NEED && op !== ZX_VMAR_OP_DONT_NEED) {
      return ZX_ERR_INVALID_ARGS;
    }
    const need = write ? ZX_RIGHT_WRITE : read ? ZX_RIGHT_READ : ZX_RIGHT_NONE;
    if ((e.rights & need) !== need) return ZX_ERR_ACCESS_DENIED;
    if (!isU64(len) || !this.aligned(addr)) return ZX_ERR_INVALID_ARGS;
    const size = this.roundUp(len);
    if (size === 0) return ZX_ERR_INVALID_ARGS;
    if (!region.contains(addr, size)) return ZX_ERR_OUT_OF_RANGE;
    if (region.destroyed) return ZX_ERR_BAD_STATE;
    const last = addr + size;
    for (let expected = addr; expected < last;) {
      const m = region.nextMapping(expected, last);
      if (m === undefined || m.addr > expected) return ZX_ERR_BAD_STATE;
      const inMapping = expected - m.addr;
      const n = Math.min(last - expected, m.len - inMapping);
      if (write && !m.canWrite) return ZX_ERR_ACCESS_DENIED;
      let st: Status = ZX_OK;
      if (op !== ZX_VMAR_OP_MAP_RANGE) {
        // The VMAR ops share the VMO ops' numbers; a mapping past a shrunk VMO's end is out of range.
        const vo = m.vmoOffset + inMapping;
        if (vo + n > m.vmo.size) st = ZX_ERR_OUT_OF_RANGE;
        else {
          this.hold(t, m.vmo);
          st = yield* this.pages.rangeOp(t, m.vmo, op, vo, n);
          this.release(t, m.vmo);
        }
      }
      // The walk re-validates after each mapping's op, which may have blocked.
      if (region.destroyed) return ZX_ERR_BAD_STATE;
      if (st !== ZX_OK) return st;
      expected += n;
    }
    return ZX_OK;
  }

  /**
   * A load through a mapping: faults one page at a time (1-page READ requests,
   * no early wake). A fault that cannot be resolved kills the thread with a
   * fatal page fault whose synthetic code says why (spec 4.3).
   */
  *memRead(t: KernelThread, addr: number, length: number): Syscall<Uint8Array> {
    const out = new Uint8Array(Math.max(0, Math.floor(length)));
    const fault = yield* this.pages.mem(t, this.rootVmar, addr, out, false);
    if (fault !== null) yield* this.crash(t, fault);
    return out;
  }

  /** A store through a mapping; faults like {@linkcode VmarCalls.memRead}. */
  *memWrite(t: KernelThread, addr: number, data: Uint8Array): Syscall<void> {
    const fault = yield* this.pages.mem(t, this.rootVmar, addr, data, true);
    if (fault !== null) yield* this.crash(t, fault);
  }

  // ---------------------------------------------------------------- BTI pinning

  /**
   * `zx_bti_create(iommu, options, bti_id, *out)` on the model's one dummy IOMMU, which is
   * implicit: `(options, bti_id)` (upstream `BtiDispatcher::Create`).
   */
  protected btiCreate(
    _t: KernelThread,
    ...[options, btiId]: In<"zx_bti_create">
  ): Out<"zx_bti_create"> {
    if (options !== 0 || !isU64(btiId)) return ZX_ERR_INVALID_ARGS;
    return this.handles.add(new Bti(this.newKoid(), btiId), ZX_DEFAULT_BTI_RIGHTS);
  }

  /**
   * `zx_bti_pin(bti, options, vmo, offset, size, addrs, num_addrs, *pmt)` (the device addresses
   * are not modelled): alignment first, then the BTI with MAP, the VMO with MAP and the rights
   * the permissions need, then the options (sys_bti_pin, zircon/kernel/lib/syscalls/ddk.cc;
   * BtiDispatcher::Pin). Commits like COMMIT (requests, parking) and pins the pages: they are
   * not evicted, not written back, kept by a detach, zeroed in place by OP_ZERO, and a shrink
   * over them fails with BAD_STATE until `zx_pmt_unpin`. With `ZX_BTI_PERM_WRITE` on a pager
   * VMO the pin dirties the pages as a write does (DIRTY requests under TRAP_DIRTY) and marks
   * the VMO modified (`VmoPages.pin`). BAD_STATE, after the pages were pinned and let go, when
   * the BTI's quarantine is not empty (a token closed without `zx_pmt_unpin`) or its last
   * handle closed while the pin waited (BtiDispatcher::Pin).
   */
  protected *btiPin(
    t: KernelThread,
    ...[bti, options, vmo, offset, size]: In<"zx_bti_pin">
  ): Syscall<Out<"zx_bti_pin">> {
    if (!this.aligned(offset) || !this.aligned(size)) return ZX_ERR_INVALID_ARGS;
    const b = this.handles.get<Bti>(bti, ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP);
    if (!b.ok) return b.status;
    const v = this.handles.get<Vmo>(vmo, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP);
    if (!v.ok) return v.status;
    const o = Number.isInteger(options) ? options : 0;
    if (
      (o & ZX_BTI_PERM_READ && !(v.rights & ZX_RIGHT_READ)) ||
      (o & ZX_BTI_PERM_WRITE && !(v.rights & ZX_RIGHT_WRITE)) ||
      (o & ZX_BTI_PERM_EXECUTE && !(v.rights & ZX_RIGHT_EXECUTE))
    ) return ZX_ERR_ACCESS_DENIED;
    // COMPRESS and CONTIGUOUS exclude each other; CONTIGUOUS needs a contiguous VMO
    // (sys_bti_pin, ddk.cc @ gnoliyil/fuchsia 014097ec: either bit left over is INVALID_ARGS).
    let rest = o & ~(ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE | ZX_BTI_PERM_EXECUTE);
    if (!((rest & ZX_BTI_COMPRESS) && (rest & ZX_BTI_CONTIGUOUS))) {
      rest &= ~ZX_BTI_COMPRESS;
      if (v.object.frames !== null) rest &= ~ZX_BTI_CONTIGUOUS;
    }
    if (!Number.isInteger(options) || rest !== 0) return ZX_ERR_INVALID_ARGS;
    if (size === 0) return ZX_ERR_INVALID_ARGS;
    if (offset + size > v.object.size) return ZX_ERR_OUT_OF_RANGE;
    const start = offset / this.pageSize;
    const end = (offset + size) / this.pageSize;
    const writable = (options & ZX_BTI_PERM_WRITE) !== 0;
    this.hold(t, v.object);
    const st = yield* this.pages.pin(t, v.object, start, end, writable);
    this.release(t, v.object);
    if (st !== ZX_OK) return st;
    // BtiDispatcher::Pin: no new pin once the BTI's last handle closed (here: while the pin
    // waited) or while its quarantine holds a token (bus_transaction_initiator_dispatcher.cc
    // @ misttech/fuchsia 3281dd6b); the pages pinned are let go.
    if (b.object.handleCount === 0 || b.object.quarantine.length > 0) {
      this.pages.unpin(v.object, start, end, writable);
      return ZX_ERR_BAD_STATE;
    }
    const pmt = new Pmt(this.newKoid(), b.object, v.object, start, end, writable);
    const [hs, h] = this.handles.add(pmt, ZX_DEFAULT_PMT_RIGHTS);
    if (hs !== ZX_OK) {
      this.pages.unpin(v.object, start, end, writable);
      return hs;
    }
    v.object.pinTokens++;
    return [ZX_OK, h];
  }

  /**
   * `zx_pmt_unpin(handle)`: unpins the token's pages and consumes the handle (the model checks
   * the type before it removes the handle; PinnedMemoryTokenDispatcher::Unpin).
   */
  protected pmtUnpin(
    _t: KernelThread,
    ...[pmt]: In<"zx_pmt_unpin">
  ): Out<"zx_pmt_unpin"> {
    const p = this.handles.get<Pmt>(pmt, ZX_OBJ_TYPE_PMT, ZX_RIGHT_NONE);
    if (!p.ok) return p.status;
    this.unpinToken(p.object);
    this.handles.remove(pmt);
    if (p.object.handleCount === 0) this.onZeroHandles(p.object);
    return ZX_OK;
  }

  // ---------------------------------------------------------------- shared checks

  /** @internal `x` is a u64 multiple of the page size. */
  protected aligned(x: unknown): x is number {
    return isU64(x) && x % this.pageSize === 0;
  }

  /** @internal `x` rounded up to whole pages. */
  protected roundUp(x: number): number {
    return Math.ceil(x / this.pageSize) * this.pageSize;
  }
}
