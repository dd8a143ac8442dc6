// Host-side code: exempt itself, but what it exports still taints its users.

/** @hostSide reads a file before any run starts */
export async function load(path: string): Promise<string> {
  return await Deno.readTextFile(path);
}

if (import.meta.main) console.log(Deno.args);
