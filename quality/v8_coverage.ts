/**
 * Deno's raw V8 coverage, made readable by c8.
 *
 * `deno test --coverage=DIR` and `deno run --coverage=DIR` write one JSON file
 * per script per isolate (workers included): a bare V8 `ScriptCoverage`
 * (`{scriptId, url, functions}`) whose byte offsets are into the JavaScript
 * Deno *ran* — for a `.ts` module, the code Deno transpiled it to, not the
 * TypeScript on disk. The raw files carry no source and no source map, so c8
 * (through v8-to-istanbul) would read the `.ts` file and attribute every range
 * to the wrong characters.
 *
 * Deno keeps what it ran in its emit cache, `DENO_DIR/gen/file/<path>.js`:
 * the transpiled code, an inline source map back to the TypeScript (with the
 * sources' content), and a `// denoCacheMetadata=` line. This module writes each
 * raw file as a Node-style process coverage (`{result: [...]}`) with a
 * `source-map-cache` entry — the line lengths of the emitted code and its
 * source map — which is exactly what c8 uses for code transpiled at run time:
 * v8-to-istanbul maps each range through the source map onto the TypeScript.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A V8 ScriptCoverage as Deno writes it. */
export interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: { functionName: string; ranges: unknown[]; isBlockCoverage: boolean }[];
}

/** Where Deno caches emitted code: $DENO_DIR, else the platform cache folder. */
export function denoDir(): string {
  const env = (name: string) => {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined;
    }
  };
  const explicit = env("DENO_DIR");
  if (explicit) return explicit;
  if (Deno.build.os === "darwin") return join(env("HOME") ?? "/", "Library/Caches/deno");
  if (Deno.build.os === "windows") return join(env("LOCALAPPDATA") ?? "C:/", "deno");
  return join(env("XDG_CACHE_HOME") ?? join(env("HOME") ?? "/", ".cache"), "deno");
}

/** The emitted JavaScript of a transpiled module and its source map, or null (plain JS). */
export function emitted(
  path: string,
  cacheDir: string = denoDir(),
): { lineLengths: number[]; sourceMap: unknown } | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(join(cacheDir, "gen", "file", `${path}.js`));
  } catch {
    return null;
  }
  const marker = "\n//# sourceMappingURL=data:application/json;base64,";
  const at = text.lastIndexOf(marker);
  if (at < 0) return null;
  const code = text.slice(0, at + 1);
  const b64 = text.slice(at + marker.length).split("\n")[0];
  const sourceMap = JSON.parse(new TextDecoder().decode(decodeBase64(b64)));
  // Every line V8 saw, the source-map comment's own included, by length.
  const lineLengths = (code + text.slice(at + 1).split("\n")[0]).split("\n").map((l) => l.length);
  return { lineLengths, sourceMap };
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** What {@linkcode convertRaw} did. */
export interface Converted {
  /** Script coverages written. */
  readonly scripts: number;
  /** Transpiled modules whose emitted code was not in the cache (left out). */
  readonly missing: string[];
}

/**
 * Converts every raw file in `rawDir` whose module path passes `keep` into a
 * c8 process coverage in `outDir` (created).
 */
export function convertRaw(
  rawDir: string,
  outDir: string,
  keep: (path: string) => boolean,
  cacheDir: string = denoDir(),
): Converted {
  Deno.mkdirSync(outDir, { recursive: true });
  const maps = new Map<string, { lineLengths: number[]; sourceMap: unknown } | null>();
  const missing = new Set<string>();
  let scripts = 0;
  for (const e of [...Deno.readDirSync(rawDir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    const text = Deno.readTextFileSync(join(rawDir, e.name));
    // Most files are npm packages' scripts: judge by the url before parsing.
    const url = /"url":\s*"(file:\/\/[^"]*)"/.exec(text.slice(0, 2048))?.[1];
    if (url === undefined || !keep(fileURLToPath(url))) continue;
    let cov: ScriptCoverage;
    try {
      cov = JSON.parse(text);
    } catch {
      continue; // an isolate killed mid-write leaves an empty or cut file
    }
    if (cov?.url !== url) continue;
    const path = fileURLToPath(url);
    const transpiled = /\.(tsx?|mts|jsx)$/.test(path);
    if (!maps.has(path)) maps.set(path, transpiled ? emitted(path, cacheDir) : null);
    const map = maps.get(path) ?? null;
    if (transpiled && map === null) {
      missing.add(path);
      continue;
    }
    const doc: Record<string, unknown> = { result: [cov] };
    if (map !== null) {
      doc["source-map-cache"] = {
        [cov.url]: { lineLengths: map.lineLengths, data: map.sourceMap },
      };
    }
    Deno.writeTextFileSync(join(outDir, e.name), JSON.stringify(doc));
    scripts++;
  }
  return { scripts, missing: [...missing].sort() };
}
