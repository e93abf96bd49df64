// The projection model for the browser: src/components/projection-model.ts and everything it
// imports from src/model (and zod), bundled by esbuild into one self-contained ES module. The
// projection page's worker loads it with `import(url)`, so the page recomputes paths and goal-seeks
// with exactly the TypeScript `fundsim project` runs. A bundle of its own, so the what-if page's
// (src/data/fundsim-model.js.ts) does not carry the projection.
import { browserBundle } from "../loaders/browser-bundle.ts";

process.stdout.write(await browserBundle("src/components/projection-model.ts"));
