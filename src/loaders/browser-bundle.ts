// One esbuild bundle of a TypeScript entry and everything it imports (src/model, zod), as one
// self-contained, minified ES module for the browser: what the data loaders fundsim-model.js and
// projection-model.js write, so the pages run exactly the TypeScript the CLI runs.
import { build } from "esbuild";

export async function browserBundle(entry: string): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "error",
  });
  return result.outputFiles[0].contents;
}
