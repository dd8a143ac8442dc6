export function later(f: () => void): void {
  setTimeout(f, 10); // ✗
  queueMicrotask(f); // ✗
  setInterval(f, 5); // ✗
}
