// The rules for the browser: src/components/whatif-model.ts and everything it imports from
// src/model (and zod), bundled by esbuild into one self-contained ES module. The what-if worker and
// the calculator page load it with `import(FileAttachment("data/fundsim-model.js").href)`, so the
// pages run exactly the TypeScript the CLI runs, with no build step outside Framework's loaders.
import { build } from "esbuild";

const result = await build({
  entryPoints: ["src/components/whatif-model.ts"],
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
