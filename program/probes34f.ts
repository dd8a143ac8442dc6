/**
 * The campaign judge's probes written for the CI sample's costliest survivor (docs/mutation.md,
 * "The CI sample at 200 under two minutes", helper fast200) and for the last open key of shards
 * 1-6 on 237c931 ("The last open key of shards 1-6", helper gap34c). Programs of fixed calls, no
 * draws, whose every outcome the program contract predicts unmutated.
 *
 * @module
 */

import {
  ZX_INFO_VMO,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_OP_DECOMMIT,
} from "../kernel/constants.ts";
import { probeThread } from "./generate.ts";
import type { Program } from "./program.ts";

/**
 * The campaign judge's `program:user-buffer-u64` probe, one thread: a two-page VMO mapped
 * readable and writable, then `zx_vmo_write` and `zx_vmo_read` each given a user buffer that is
 * no u64 in three ways the later checks would otherwise answer differently: half a byte into the
 * mapping (the copy would succeed: ZX_OK), -1 with an empty range (nothing to copy: ZX_OK) and
 * 2^65 with a range past the VMO's end (OUT_OF_RANGE). zx_vmo_write.md / zx_vmo_read.md: the
 * buffer is a user pointer; a value no u64 holds is the model's garbage argument, and the
 * contract (program/contract.ts `zx_vmo_write`, `zx_vmo_read`) predicts ZX_ERR_INVALID_ARGS for
 * each before any range check, as the model's own u64 checks answer. Random programs pass a user
 * buffer only as a mapping's address plus a whole byte count, or an unmapped one
 * (`gap32aEdgesProgram` reads into a fractional one; nothing wrote from one).
 *
 * @example
 * ```ts
 * import { userBufferU64Program } from "./probes34f.ts";
 * console.assert(userBufferU64Program().threads[0].calls.length === 8);
 * ```
 */
export function userBufferU64Program(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const size = 2 * pageSize;
  const vmo = emit("zx_vmo_create", [size, 0]);
  const map = emit("zx_vmar_map", [
    { vmar: 0 },
    ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
    0,
    { h: vmo },
    0,
    size,
  ]);
  const half = { addr: map, plus: 0.5 };
  emit("zx_vmo_write", [{ h: vmo }, { bytes: 8, fill: 0x5c }, 0, half]);
  emit("zx_vmo_write", [{ h: vmo }, { bytes: 0, fill: 0 }, 0, -1]);
  emit("zx_vmo_write", [{ h: vmo }, { bytes: 8, fill: 0x5c }, size, 2 ** 65]);
  emit("zx_vmo_read", [{ h: vmo }, 0, 8, half]);
  emit("zx_vmo_read", [{ h: vmo }, 0, 0, -1]);
  emit("zx_vmo_read", [{ h: vmo }, size, 8, 2 ** 65]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}

/**
 * The campaign judge's `program:contiguous-read-back` probe (helper gap34c, docs/mutation.md "The
 * last open key of shards 1-6"), one thread: a two-page contiguous VMO written whole (both pages
 * committed), decommitted whole (both frames lent), its info asked (`CommitCeiling`: no page),
 * page 1 read (zeros, read-content), and its info asked again: the read took page 1's frame back,
 * so at least that page is committed (the contract's `ContiguousReadFloor`,
 * program/contiguous_read_floor.ts; the floor counts pages, so no other page may be committed
 * for a read that commits nothing to fall under it). Random programs decommit a contiguous VMO
 * and then read it and ask its info with no other call between seldom.
 *
 * @example
 * ```ts
 * import { contiguousReadBackProgram } from "./probes34f.ts";
 * console.assert(contiguousReadBackProgram().threads[0].calls.length === 7);
 * ```
 */
export function contiguousReadBackProgram(pageSize = 4096): Program {
  const { calls, emit } = probeThread();
  const bti = emit("zx_bti_create", [0, 0]);
  const vmo = emit("zx_vmo_create_contiguous", [{ h: bti }, 2 * pageSize, 0]);
  emit("zx_vmo_write", [{ h: vmo }, { bytes: 2 * pageSize, fill: 0x3c }, 0]);
  emit("zx_vmo_op_range", [{ h: vmo }, ZX_VMO_OP_DECOMMIT, 0, 2 * pageSize]);
  emit("zx_object_get_info", [{ h: vmo }, ZX_INFO_VMO]);
  emit("zx_vmo_read", [{ h: vmo }, pageSize, pageSize]);
  emit("zx_object_get_info", [{ h: vmo }, ZX_INFO_VMO]);
  return { pageSize, overtimeTicks: 0, threads: [{ failInsteadOfBlock: false, calls }] };
}
