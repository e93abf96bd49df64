// `fundsim brief` (issue 15 item 3): its options and its output file checked before any work — a
// bad option names itself and exits 2, an existing file is replaced only with --force and only if it
// is a PDF, a missing site says how to build it. The PDF itself is made in test/browser/brief.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { briefPath } from "../src/cli/brief.ts";
import { runFundsim } from "../src/cli/program.ts";
import { checkOutputFile, writeFileAtomically } from "../src/pipeline/output-file.ts";

const dir = mkdtempSync(join(tmpdir(), "fundsim-brief-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs fundsim in-process; its exit status and what it wrote to stderr. */
async function fundsim(args: string[]): Promise<{ status: number; stderr: string; stdout: string }> {
  const err: string[] = [], out: string[] = [];
  const e = process.stderr.write, o = process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  try {
    const status = await runFundsim(args);
    return { status, stderr: err.join(""), stdout: out.join("") };
  } finally {
    process.stderr.write = e;
    process.stdout.write = o;
  }
}

describe("fundsim brief: options and the output file", () => {
  const emptySite = join(dir, "site");
  mkdirSync(emptySite);

  it("a bad city, year or language names the option and exits 2", async () => {
    for (const [opt, value] of [["--city", "beijing"], ["--year", "2031"], ["--year", "20x4"], ["--lang", "fr"]]) {
      const r = await fundsim(["brief", opt, value, "--out", join(dir, "a.pdf"), "--site", emptySite]);
      expect(r.status, `${opt} ${value}`).toBe(2);
      expect(r.stderr).toContain(opt);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(existsSync(join(dir, "a.pdf"))).toBe(false);
    }
  });

  it("a site that is not built: exit 2, saying to build it", async () => {
    const r = await fundsim(["brief", "--out", join(dir, "b.pdf"), "--site", emptySite]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/npm run build/);
  });

  it("an existing file: refused without --force; with it, replaced only if it is a PDF", async () => {
    const notPdf = join(dir, "notes.pdf");
    writeFileSync(notPdf, "my notes");
    for (const force of [[], ["--force"]]) {
      const r = await fundsim(["brief", "--out", notPdf, ...force, "--site", emptySite]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(force.length ? /not a PDF file/ : /--force/);
      expect(readFileSync(notPdf, "utf8")).toBe("my notes");
    }
    const pdf = join(dir, "old.pdf");
    writeFileSync(pdf, "%PDF-1.4 old");
    expect(() => checkOutputFile(pdf, { option: "--out", magic: "%PDF-", kind: "PDF file" })).toThrow(/--force/);
    const t = checkOutputFile(pdf, { option: "--out", force: true, magic: "%PDF-", kind: "PDF file" });
    writeFileAtomically(t, new TextEncoder().encode("%PDF-1.7 new"));
    expect(readFileSync(pdf, "utf8")).toBe("%PDF-1.7 new");
  });

  it("a directory, a missing directory or an empty name is refused before any work", () => {
    expect(() => checkOutputFile(dir, { option: "--out", magic: "%PDF-", kind: "PDF file" })).toThrow(/is a directory/);
    expect(() => checkOutputFile(join(dir, "nope", "x.pdf"), { option: "--out", magic: "%PDF-", kind: "PDF file" })).toThrow(/not an existing directory/);
    expect(() => checkOutputFile(" ", { option: "--out", magic: "%PDF-", kind: "PDF file" })).toThrow(/a file name/);
  });

  it("the overview for 'all', a city's page otherwise, with the language and year in the address", () => {
    expect(briefPath("all", "zh", 2024)).toBe("/?lang=zh&year=2024");
    expect(briefPath("jinan", "en", 2023)).toBe("/cities/jinan?lang=en&year=2023");
  });
});
