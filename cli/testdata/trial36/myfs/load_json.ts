// trial36's blobfs/hostile/load_throws3.ts, standalone: JSON.parse of garbage while it loads.
// cli/trial36_test.ts copies it into a user's folder (`myfs/`) of a copy of pagersim's tree.
export const t = JSON.parse("{bad");
export default function* service(): Generator<never, void, unknown> {}
