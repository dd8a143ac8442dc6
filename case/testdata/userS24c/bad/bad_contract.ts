export { default } from "../../userS24/chunk_store.ts";
export const contract = { threads: { min: 1, max: "two" }, events: ["detach", "evcit"] };
