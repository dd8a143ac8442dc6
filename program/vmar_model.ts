/**
 * The program's own picture of its address space, kept apart from the kernel's: the regions
 * (`zx_vmar_allocate`) and mappings (`zx_vmar_map`) a program made and has not unmapped or
 * destroyed, each where the kernel said it placed it, so the contract can predict what a VMAR
 * call or a user copy meets there (a gap, a sub-region, a mapping's permissions, a region's
 * end). Every call that changes the layout (map, unmap, allocate, destroy, protect) runs without
 * blocking, so the picture is exact at the moment a later call is predicted; an effect the
 * picture cannot apply (an unmap of something it does not hold) makes it `known` no more, and
 * nothing is predicted from it after that.
 *
 * The root VMAR's size is the user address space's, 2^47 bytes (zx_vmar_map.md); its base is not
 * something a program is told, so a range in the root is known to lie inside it only where the
 * program's own placements cover it.
 *
 * @module
 */

/** The root VMAR's span, bytes (zx_vmar_map.md: user space). */
export const ROOT_VMAR_BYTES = 2 ** 47;

/** One mapping a program made, as the kernel placed it. */
export interface ModelMapping {
  readonly addr: number;
  /** Bytes, page-rounded. */
  readonly len: number;
  /** Loads are allowed (`ZX_VM_PERM_READ`, as mapped or protected). */
  readable: boolean;
  /** Stores are allowed (`ZX_VM_PERM_WRITE`, as mapped or protected). */
  writable: boolean;
  /**
   * The VMO handle and the VMAR (its handle's WRITE right and CAN_MAP_WRITE) allowed writes when
   * it was mapped: the most `zx_vmar_protect` may grant (sys_vmar_protect, vsrinivas/fuchsia
   * 2cf39818 zircon/kernel/lib/syscalls/vmar.cc).
   */
  readonly canWrite: boolean;
  /** The handle model's object id of the mapped VMO, where the program knew it. */
  readonly vmo?: number;
  /** The offset in the VMO, bytes, where the mapping begins (with `vmo`). */
  readonly vmoOffset?: number;
}

/** `ZX_VM_CAN_MAP_*` of a region. */
export interface RegionFlags {
  readonly specific: boolean;
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
}

/** The root VMAR or a sub-region a program allocated. */
export interface ModelRegion {
  /** Its lowest address; null for the root, whose base the program is not told. */
  readonly base: number | null;
  /** Bytes, page-rounded. */
  readonly size: number;
  readonly flags: RegionFlags;
  readonly parent: ModelRegion | null;
  /** Destroyed (`zx_vmar_destroy`, or unmapped from its parent, or an ancestor was). */
  destroyed: boolean;
  /** The sub-regions placed directly in it. */
  readonly regions: ModelRegion[];
  /** The mappings placed directly in it. */
  readonly mappings: ModelMapping[];
}

const ALL: RegionFlags = { specific: true, read: true, write: true, execute: true };

/** True if `[a, a + alen)` and `[b, b + blen)` overlap. */
function overlaps(a: number, alen: number, b: number, blen: number): boolean {
  return a < b + blen && b < a + alen;
}

/** The part `[a, b)` of mapping `x` (inside it) as a mapping of its own, its VMO offset moved with it. */
function part(
  x: ModelMapping,
  a: number,
  b: number,
  perms: Partial<Pick<ModelMapping, "readable" | "writable">> = {},
): ModelMapping {
  return {
    ...x,
    addr: a,
    len: b - a,
    ...perms,
    ...(x.vmoOffset === undefined ? {} : { vmoOffset: x.vmoOffset + (a - x.addr) }),
  };
}

/** The program's picture of its VMARs, by the handle model's object ids. */
export class VmarModel {
  readonly #regions = new Map<number, ModelRegion>();
  /** False once an effect could not be applied: predict nothing from the picture then. */
  known = true;

  #root: ModelRegion | undefined;

  /** The root VMAR, where user copies look their addresses up (undefined before `addRoot`). */
  get root(): ModelRegion | undefined {
    return this.#root;
  }

  /** The root VMAR, named by the handle model's object `object`. */
  addRoot(object: number): void {
    this.#root = {
      base: null,
      size: ROOT_VMAR_BYTES,
      flags: ALL,
      parent: null,
      destroyed: false,
      regions: [],
      mappings: [],
    };
    this.#regions.set(object, this.#root);
  }

  /**
   * Whether a mapping in the picture maps the VMO the handle model names `vmo`: undefined when
   * the picture cannot tell (it is not known, or holds a mapping of a VMO it did not know).
   * Upstream an unmapped or overwritten mapping lets go of its VMO at once
   * (`VmMapping::DestroyLocked`: "detach from any object we have mapped", `object_.reset()`,
   * zircon/kernel/vm/vm_mapping.cc @ misttech/fuchsia 59d70673).
   */
  mapsObject(vmo: number): boolean | undefined {
    if (!this.known || this.#root === undefined) return undefined;
    let found = false;
    let unknown = false;
    const walk = (r: ModelRegion) => {
      for (const m of r.mappings) {
        if (m.vmo === undefined) unknown = true;
        else if (m.vmo === vmo) found = true;
      }
      for (const c of r.regions) walk(c);
    };
    walk(this.#root);
    return found ? true : unknown ? undefined : false;
  }

  /** The region the handle model's object `object` names, if the picture has it. */
  region(object: number | undefined): ModelRegion | undefined {
    return object === undefined ? undefined : this.#regions.get(object);
  }

  /** A sub-region `object` allocated in `parent` at `base`. */
  allocated(
    parent: ModelRegion,
    object: number,
    base: number,
    size: number,
    flags: RegionFlags,
  ): void {
    const r: ModelRegion = {
      base,
      size,
      flags,
      parent,
      destroyed: false,
      regions: [],
      mappings: [],
    };
    parent.regions.push(r);
    this.#regions.set(object, r);
  }

  /**
   * A mapping placed in `region`; with `overwrite` (ZX_VM_SPECIFIC_OVERWRITE) it replaced the
   * mappings of the region it overlaps.
   */
  mapped(region: ModelRegion, m: ModelMapping, overwrite: boolean): void {
    if (overwrite) {
      // Upstream overwrites by unmapping the range (UnmapInternalLocked, "Implementation for
      // Unmap() and OverwriteVmMapping()", zircon/kernel/vm/include/vm/vm_address_region.h),
      // which splits a mapping it covers in part: the parts outside the range stay mapped.
      const kept: ModelMapping[] = [];
      const end = m.addr + m.len;
      for (const x of region.mappings) {
        if (!overlaps(x.addr, x.len, m.addr, m.len)) {
          kept.push(x);
          continue;
        }
        if (x.addr < m.addr) kept.push(part(x, x.addr, m.addr));
        if (end < x.addr + x.len) kept.push(part(x, end, x.addr + x.len));
      }
      region.mappings.splice(0, region.mappings.length, ...kept);
    }
    region.mappings.push(m);
  }

  /** `region` and everything under it is destroyed (its mappings gone), and it leaves its parent. */
  destroy(region: ModelRegion): void {
    const walk = (r: ModelRegion) => {
      r.destroyed = true;
      r.mappings.splice(0);
      for (const c of r.regions.splice(0)) walk(c);
    };
    walk(region);
    const siblings = region.parent?.regions;
    if (siblings !== undefined && siblings.includes(region)) {
      siblings.splice(siblings.indexOf(region), 1);
    }
  }

  /**
   * A successful `zx_vmar_unmap(region, addr, len)` (`len` page-rounded): the sub-regions the
   * range holds are destroyed, and the parts of mappings it holds are gone. A mapping the range
   * covers in part keeps its parts outside the range, mapped as they were: upstream
   * `VmAddressRegion::UnmapInternalLocked` destroys a mapping the range covers whole and cuts one
   * it covers in part with `VmMapping::UnmapLocked(unmap_base, unmap_size)`
   * (zircon/kernel/vm/vm_address_region.cc @ vsrinivas/fuchsia 005edc33; the model's kernel
   * unmaps whole mappings only and refuses a part with NOT_FOUND). An unmap the picture finds
   * nothing for makes it unknown.
   */
  unmapped(region: ModelRegion, addr: number, len: number): void {
    const subs = region.regions.filter((r) => overlaps(r.base ?? 0, r.size, addr, len));
    const maps = region.mappings.filter((m) => overlaps(m.addr, m.len, addr, len));
    if (subs.length + maps.length === 0) {
      this.known = false;
      return;
    }
    for (const r of subs) this.destroy(r);
    const end = addr + len;
    const kept: ModelMapping[] = [];
    for (const m of region.mappings) {
      if (!maps.includes(m)) {
        kept.push(m);
        continue;
      }
      if (m.addr < addr) kept.push(part(m, m.addr, addr));
      if (end < m.addr + m.len) kept.push(part(m, end, m.addr + m.len));
    }
    region.mappings.splice(0, region.mappings.length, ...kept);
  }

  /**
   * A successful `zx_vmar_protect`: the mappings of `region` in `[addr, addr + len)` now allow
   * these. A mapping the range covers only in part is split at the range's ends and only its
   * part inside changes (VmMapping::ProtectLocked splits it: vm_mapping.cc @ vsrinivas/fuchsia
   * 005edc33; zx_vmar_protect.md).
   */
  protect(region: ModelRegion, addr: number, len: number, read: boolean, write: boolean): void {
    const end = addr + len;
    const out: ModelMapping[] = [];
    for (const m of region.mappings) {
      if (!overlaps(m.addr, m.len, addr, len)) {
        out.push(m);
        continue;
      }
      const from = Math.max(m.addr, addr), to = Math.min(m.addr + m.len, end);
      if (from === m.addr && to === m.addr + m.len) {
        m.readable = read;
        m.writable = write;
        out.push(m);
        continue;
      }
      if (m.addr < from) out.push(part(m, m.addr, from));
      out.push(part(m, from, to, { readable: read, writable: write }));
      if (to < m.addr + m.len) out.push(part(m, to, m.addr + m.len));
    }
    region.mappings.splice(0, region.mappings.length, ...out);
  }

  /** The mapping holding `addr` in `region` or any region under it, as a fault finds it. */
  find(region: ModelRegion, addr: number): ModelMapping | undefined {
    for (const m of region.mappings) if (addr >= m.addr && addr < m.addr + m.len) return m;
    for (const r of region.regions) {
      if (r.base !== null && addr >= r.base && addr < r.base + r.size) return this.find(r, addr);
    }
    return undefined;
  }

  /** The sub-region of `region` (directly in it) holding `addr`, if any. */
  subRegionAt(region: ModelRegion, addr: number): ModelRegion | undefined {
    return region.regions.find((r) => r.base !== null && addr >= r.base && addr < r.base + r.size);
  }

  /** Whether anything the program placed in `region` overlaps `[addr, addr + len)`. */
  occupied(region: ModelRegion, addr: number, len: number): boolean {
    return region.regions.some((r) => overlaps(r.base ?? 0, r.size, addr, len)) ||
      region.mappings.some((m) => overlaps(m.addr, m.len, addr, len));
  }

  /**
   * Whether `[addr, end)` lies inside `region`: from its extent for a sub-region; for the root,
   * true where the program's own placements in it cover the range without a gap (then it is
   * inside), false past its span, else undefined (its base is not known).
   */
  contains(region: ModelRegion, addr: number, end: number): boolean | undefined {
    if (region.base !== null) return addr >= region.base && end <= region.base + region.size;
    if (end - addr > region.size) return false;
    for (let at = addr; at < end;) {
      const m = region.mappings.find((x) => at >= x.addr && at < x.addr + x.len);
      const r = this.subRegionAt(region, at);
      const next = m !== undefined ? m.addr + m.len : r !== undefined ? (r.base ?? 0) + r.size : 0;
      if (next <= at) return undefined;
      at = next;
    }
    return true;
  }
}
