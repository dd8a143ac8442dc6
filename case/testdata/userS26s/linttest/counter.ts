// A helper module with module-level state (the README says the lint covers what a service imports).
let served = 0;
export function tick(): void {
  served++;
  if (served === 150) throw new Error("helper: cache budget exhausted");
}
