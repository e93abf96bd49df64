// Supply chain (issue 11): every dependency is used, runtime ones are what the CLI needs, and every
// version is pinned, so that `npm install` brings exactly what was tested.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

/** Packages used other than by an import, each with the reason. */
const USED_OTHERWISE: Record<string, string> = {
  "@observablehq/framework": "the site's build tool: `observable preview|build` in package.json scripts",
  typescript: "`tsc` in scripts/test.mjs (the type-check)",
  vega: "peer dependency that vega-embed loads",
  "vega-lite": "peer dependency that vega-embed loads",
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".") || name === "dist") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|js|mjs|md)$/.test(name)) out.push(p);
  }
  return out;
}

const text = ["src", "bin", "scripts", "test", "bench"]
  .flatMap((d) => sourceFiles(d))
  .concat(["observablehq.config.ts", "vitest.config.ts"])
  .map((f) => readFileSync(f, "utf8"))
  .join("\n");

const imported = (name: string): boolean => {
  const q = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`(from\\s+|import\\s*\\(\\s*|require\\(\\s*)["']${q}(/[^"']*)?["']`).test(text);
};

describe("dependencies", () => {
  const all = { ...pkg.dependencies, ...pkg.devDependencies };

  it("every dependency is imported somewhere, or its other use is named", () => {
    const unused = Object.keys(all).filter((d) => {
      if (d in USED_OTHERWISE) return false;
      // A type package is used when its package (or Node itself) is.
      if (d.startsWith("@types/")) return !(d === "@types/node" ? /from ["']node:/.test(text) : imported(d.slice(7).replace("__", "/")));
      return !imported(d);
    });
    expect(unused).toEqual([]);
  });

  it("every version is pinned (no ranges)", () => {
    const ranged = Object.entries(all).filter(([, v]) => !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(v));
    expect(ranged).toEqual([]);
  });

  it("runtime dependencies are what the command line imports; test and build tools are dev dependencies", () => {
    const cli = sourceFiles("src")
      .filter((f) => /^src\/(cli|model|loaders|pipeline)\//.test(f.replace(/\\/g, "/")) && f.endsWith(".ts"))
      .concat(["bin/fundsim.js"])
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    for (const d of Object.keys(pkg.dependencies)) {
      const q = d.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      expect(new RegExp(`["']${q}(/[^"']*)?["']`).test(cli), `${d} is a runtime dependency but the CLI does not import it`).toBe(true);
    }
    for (const d of ["vitest", "fast-check", "playwright-core", "decimal.js", "typescript", "@observablehq/framework"]) {
      expect(pkg.dependencies[d], `${d} is a test or build tool`).toBeUndefined();
    }
  });
});
