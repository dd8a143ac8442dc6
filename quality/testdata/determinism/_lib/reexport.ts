// Re-exports under another name: the checker follows the alias chain.
export { double, jitter as wobble } from "./wrappers.ts";
