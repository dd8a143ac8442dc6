// A default-exported wrapper.
export default function coin(): boolean {
  return Math.random() < 0.5; // ✗
}
