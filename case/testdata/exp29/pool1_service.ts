// The pool service of _pool.ts on 1 thread(s).
import { poolOf } from "./_pool.ts";

export default poolOf(1);
