/**
 * {@linkcode PageMap} answers as a `WeakMap` would, before and after it turns weak: every page
 * set keeps its latest value, a page never set has none, and the switch happens once the pages
 * it holds pass {@linkcode PAGE_MAP_BYTES}.
 */

import { strict as assert } from "node:assert";
import { Page } from "../kernel/objects.ts";
import { PAGE_MAP_BYTES, PageMap } from "./_page_map.ts";

Deno.test("PageMap: the same answers as a WeakMap, across its turn to weak", () => {
  const size = 4096;
  const m = new PageMap<number>();
  const pages: Page[] = [];
  const strongPages = PAGE_MAP_BYTES / size;
  for (let i = 0; i < strongPages + 10; i++) {
    const page = new Page(new Uint8Array(size), "clean");
    pages.push(page);
    m.set(page, i);
    m.set(pages[0], -i); // set again: counted once
    assert.equal(m.weak, i >= strongPages, `after ${i + 1} pages`);
  }
  pages.forEach((page, i) => assert.equal(m.get(page), i === 0 ? -(pages.length - 1) : i));
  assert.equal(m.get(new Page(new Uint8Array(size), "clean")), undefined);
  m.set(pages[5], 55);
  assert.equal(m.get(pages[5]), 55);
});
