// Parses Mermaid diagrams with Mermaid's own parser (the grammar GitHub renders with).
// Reads a JSON array of diagram texts on stdin; prints one line per diagram:
// "ok <type>" or "error <message on one line>". Exits 0 when all parse, 1 otherwise.
// Mermaid sanitises labels through DOMPurify, which needs a DOM: jsdom supplies one.
import { JSDOM } from "jsdom";

const { window } = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = window;
globalThis.document = window.document;
globalThis.DOMParser = window.DOMParser;
globalThis.Element = window.Element;
globalThis.HTMLElement = window.HTMLElement;

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const diagrams = JSON.parse(input);
let failed = 0;
for (const text of diagrams) {
  try {
    const result = await mermaid.parse(text);
    console.log(`ok ${result.diagramType}`);
  } catch (e) {
    failed += 1;
    console.log(`error ${String(e && e.message ? e.message : e).replace(/\s+/g, " ")}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
