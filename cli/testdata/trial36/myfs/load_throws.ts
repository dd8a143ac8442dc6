// trial36's blobfs/hostile/load_throws2.ts, standalone: the module throws an Error while it loads.
// cli/trial36_test.ts copies it into a user's folder (`myfs/`) of a copy of pagersim's tree.
const table: Record<string, number> = {};
if (table.chunks === undefined) throw new Error("blob chunk table missing");
export default function* service(): Generator<never, void, unknown> {}
