// The pool service of _pool.ts on 3 thread(s).
import { poolOf } from "./_pool.ts";

export default poolOf(3);
