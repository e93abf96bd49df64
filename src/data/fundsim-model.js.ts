// The rules for the browser: src/components/whatif-model.ts and everything it imports from
// src/model (and zod), bundled by esbuild into one self-contained ES module. The what-if worker and
// the calculator page load it with `import(FileAttachment("data/fundsim-model.js").href)`, so the
// pages run exactly the TypeScript the CLI runs, with no build step outside Framework's loaders.
import { browserBundle } from "../loaders/browser-bundle.ts";

process.stdout.write(await browserBundle("src/components/whatif-model.ts"));
