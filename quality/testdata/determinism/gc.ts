export function watch(o: object): void {
  const ref = new WeakRef(o); // ✗
  const reg = new FinalizationRegistry((k: string) => console.log(k)); // ✗
  reg.register(o, "gone");
  ref.deref();
}
