// The projection model for the browser: src/components/projection-model.ts and everything it
// imports from src/model (and zod), bundled by esbuild into one self-contained ES module. The
// projection page's worker loads it with `import(url)`, so the page recomputes paths and goal-seeks
// with exactly the TypeScript `fundsim project` runs. A bundle of its own, so the what-if page's
// (src/data/fundsim-model.js.ts) does not carry the projection.
import { build } from "esbuild";

const result = await build({
  entryPoints: ["src/components/projection-model.ts"],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "none",
  write: false,
  logLevel: "error",
});
process.stdout.write(result.outputFiles[0].contents);
