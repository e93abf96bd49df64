// Reading what a user gives (issue 11), in-process: src/loaders/read-input.ts and the loaders and
// calc built on it. Size limits applied while reading (/dev/zero, an endless stream), regular files
// only (a directory, a device, a FIFO), nesting (JSON and YAML thousands deep: a message, not a
// stack overflow), YAML alias bombs and amplification, and messages that never show a file's text.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { runCalc } from "../../src/cli/calc.ts";
import { loadScenarioFile } from "../../src/loaders/policies.ts";
import {
  DEFAULT_MAX_INPUT_BYTES, deeperThan, InputError, MAX_DEPTH, maxInputBytes, parseJsonInput, parseYamlInput, printable, readInputFile, readInputStream,
} from "../../src/loaders/read-input.ts";
import { PolicyError } from "../../src/model/policy.ts";

const dir = mkdtempSync(join(tmpdir(), "fundsim-read-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string | Buffer, name = `f-${n++}.yaml`) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** The error a call throws (or fails the test). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

const timed = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
};

describe("size and kind", () => {
  it("/dev/zero, a directory, a FIFO: not a regular file, at once (a FIFO is never waited on)", () => {
    const [zero, ms] = timed(() => thrown(() => readInputFile("/dev/zero")));
    expect(zero).toBeInstanceOf(InputError);
    expect(zero.message).toBe("/dev/zero: not a regular file (a character device)");
    expect(ms).toBeLessThan(1000);
    expect(thrown(() => readInputFile(dir)).message).toMatch(/: not a regular file \(a directory\)$/);
    const fifo = join(dir, "fifo");
    if (spawnSync("mkfifo", [fifo]).status === 0) expect(thrown(() => readInputFile(fifo)).message).toMatch(/: not a regular file \(a named pipe\)$/);
    expect(thrown(() => readInputFile(join(dir, "none.yaml"))).message).toMatch(/: cannot read: no such file \(ENOENT\)$/);
  });

  it("a 5 MB file is refused by the 4 MiB default; FUNDSIM_MAX_INPUT_BYTES sets another limit", () => {
    expect(DEFAULT_MAX_INPUT_BYTES).toBe(4 * 1024 * 1024);
    const big = file(Buffer.alloc(5_000_000, 0x20));
    expect(thrown(() => readInputFile(big, { source: "big.yaml" })).message).toBe(
      "big.yaml: is 5,000,000 bytes, more than the input limit of 4 MiB (FUNDSIM_MAX_INPUT_BYTES sets another)",
    );
    expect(readInputFile(big, { limit: 6_000_000 }).length).toBe(5_000_000);
    expect(maxInputBytes({ FUNDSIM_MAX_INPUT_BYTES: "100" })).toBe(100);
    expect(maxInputBytes({})).toBe(DEFAULT_MAX_INPUT_BYTES);
    expect(thrown(() => maxInputBytes({ FUNDSIM_MAX_INPUT_BYTES: "lots" })).message).toContain("FUNDSIM_MAX_INPUT_BYTES: must be a whole number of bytes");
    // A file that reports size 0 but has contents (/proc) is read, and bounded on what is read.
    expect(readInputFile("/proc/self/status").length).toBeGreaterThan(0);
    expect(thrown(() => readInputFile("/proc/self/status", { limit: 10 })).message).toContain("more than the input limit of 10 bytes");
  });

  it("a stream is cut off as soon as it passes the limit (an endless stream ends at once)", async () => {
    let produced = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          produced += 65536;
          yield Buffer.alloc(65536);
        }
      })(),
    );
    const t0 = performance.now();
    await expect(readInputStream(endless, { limit: 1_000_000 })).rejects.toThrow("(input): more than the input limit of 1,000,000 bytes");
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(produced).toBeLessThan(2_000_000);
    await expect(readInputStream(Readable.from([Buffer.from('{"a":1}')]))).resolves.toBe('{"a":1}');
  });
});

describe("nesting", () => {
  const deepJson = (d: number) => "[".repeat(d) + "]".repeat(d);

  it("JSON: 64 levels pass, 65 and 4 500 are refused with one message (no stack overflow)", () => {
    expect(deeperThan(JSON.parse(deepJson(MAX_DEPTH)))).toBe(false);
    expect(deeperThan(JSON.parse(deepJson(MAX_DEPTH + 1)))).toBe(true);
    expect(thrown(() => parseJsonInput(deepJson(4500))).message).toBe("(input): nested deeper than 64 levels");
    expect(deeperThan(JSON.parse(deepJson(100_000)))).toBe(true);
  });

  it("calc: a request with a value nested 4 500 deep is one message, exit 2 (it overflowed the stack)", () => {
    for (const field of ["scenario", "person", "claims", "year"]) {
      const text = `{"city":"lanzhou","person":{"status":"retired"},"claims":[{"date":"2023-05-01","level":1,"amount":"1"}],"${field}":${deepJson(4500)}}`;
      const r = runCalc(text);
      // (the result also carries the problems as data for the page: src/model/field-problems.ts)
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: "", stderr: "fundsim calc: (input): nested deeper than 64 levels\n" });
    }
  });

  it("YAML: flow and block nesting past 64 levels, and past what the parser's stack holds, are refused", () => {
    const flow = (d: number) => `name: x\nset: {a: ${"[".repeat(d)}${"]".repeat(d)}}\n`;
    const block = (d: number) => "name: x\nset:\n" + Array.from({ length: d }, (_, i) => `${"  ".repeat(i + 1)}k${i}:`).join("\n") + " 1\n";
    for (const text of [flow(70), flow(4500), flow(100_000), block(70), block(1500), `${"- ".repeat(5000)}x\n`]) {
      const e = thrown(() => loadScenarioFile(file(text)));
      expect(e).toBeInstanceOf(PolicyError);
      expect(e.message).toMatch(/: nested deeper than 64 levels$/);
    }
    const ok = parseYamlInput(`a: ${"[".repeat(63)}${"]".repeat(63)}`);
    expect(ok.ok).toBe(true);
  });
});

describe("YAML aliases", () => {
  it("a billion-laughs document is refused at once", () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = "a";
    for (const l of "bcdefghi") {
      text += `${l}: &${l} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
      prev = l;
    }
    const [e, ms] = timed(() => thrown(() => loadScenarioFile(file(text))));
    expect(e).toBeInstanceOf(PolicyError);
    expect(e.message).toMatch(/: its aliases \(\*name\) would expand it by [\d,]+ values \(at most 10,000\)$/);
    expect(ms).toBeLessThan(1000);
  });

  it("a modest-looking amplification (one list of 5 000 named 90 times) is refused; a few small aliases pass", () => {
    const amp = `name: amp\na: &a [${Array(5000).fill("1").join(",")}]\nb: [${Array(90).fill("*a").join(",")}]\n`;
    expect(amp.length).toBeLessThan(11_000);
    const e = thrown(() => loadScenarioFile(file(amp)));
    expect(e.message).toContain("would expand it by 450,000 values");
    const many = `a: &a 1\nb: [${Array(101).fill("*a").join(",")}]\n`;
    expect(parseYamlInput(many)).toEqual({ ok: false, problems: ["uses more than 100 aliases (*name)"] });
    expect(parseYamlInput("a: &r [*r]\n")).toEqual({ ok: false, problems: ["has an alias inside the node it names (a recursive alias)"] });
    const fine = parseYamlInput("cap: &c 1000\nset:\n  caps.general: *c\n  caps.twoDisease: *c\n");
    expect(fine.ok && fine.value).toEqual({ cap: 1000, set: { "caps.general": 1000, "caps.twoDisease": 1000 } });
  });
});

describe("messages never show a file's text", () => {
  it("/etc/passwd (or any text file) as a scenario: says it is not a scenario file, no line of it", () => {
    for (const path of ["/etc/passwd", file("root:$y$j9T$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")]) {
      const e = thrown(() => loadScenarioFile(path));
      expect(e).toBeInstanceOf(PolicyError);
      // Text (/etc/passwd), or a mapping of keys none of which a scenario has (the lines ending in ":").
      expect(e.message).toMatch(/: not a scenario file: (the file is text, not a mapping of keys|none of its 2 top-level keys is one a scenario file has)/);
      for (const line of readFileSync(path, "utf8").split("\n").filter((l) => l.length > 3)) {
        expect(e.message).not.toContain(line);
        expect(e.message).not.toContain(line.split(":")[0].length > 3 ? line.split(":")[0] : "\u0000");
      }
    }
  });

  it("a mapping with none of a scenario's keys: says so without listing them; a few unknown keys: at most five, cut", () => {
    const env = file(Array.from({ length: 40 }, (_, i) => `SECRET_${i}: value-${i}`).join("\n") + "\n");
    const e = thrown(() => loadScenarioFile(env));
    expect(e.message).toMatch(/not a scenario file: none of its 40 top-level keys is one a scenario file has \(name, description, city, base, set, amend\)$/);
    expect(e.message).not.toContain("SECRET");
    expect(e.message).not.toContain("value-");

    const long = `name: ok\n${Array.from({ length: 12 }, (_, i) => `k${i}_${"y".repeat(100)}: 1`).join("\n")}\n`;
    const m = thrown(() => loadScenarioFile(file(long))).message;
    expect(m).toMatch(/\(top\): unknown keys "k0_y+…", "k1_y+…", "k2_y+…", "k3_y+…", "k4_y+…" and 7 more$/);
    for (const k of m.match(/"[^"]*"/g)!) expect(k.length).toBeLessThanOrEqual(42);
    expect(m).not.toContain("k5_");
  });

  it("control characters in keys, values and paths are escaped; every line is bounded", () => {
    const esc = "\u001b]0;owned\u0007\u001b[31m";
    const e = thrown(() => loadScenarioFile(file(`name: ok\n"${esc.replace(/\u001b/g, "\\e").replace(/\u0007/g, "\\a")}key": 1\n`)));
    expect(RAW_CONTROL.test(e.message)).toBe(false);
    expect(e.message).toContain("\\u001b]0;owned\\u0007\\u001b[31mkey");
    const weird = thrown(() => loadScenarioFile(join(dir, `no-${esc}.yaml`)));
    expect(RAW_CONTROL.test(weird.message)).toBe(false);
    const out = printable(`fundsim run: ${"x".repeat(10_000_000)}\n${esc}\n`.repeat(3));
    expect(out.length).toBeLessThan(12_000);
    expect(RAW_CONTROL.test(out.replace(/\n/g, ""))).toBe(false);
    expect(out.split("\n").every((l) => l.length <= 400)).toBe(true);
  });

  it("calc: a huge value in the request gives a bounded, escaped message", () => {
    const r = runCalc(JSON.stringify({ city: `${"\u001b[2J".repeat(10)}${"x".repeat(5_000_000)}`, person: { status: "retired" }, claims: [] }));
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeLessThan(2000);
    expect(RAW_CONTROL.test(r.stderr.replace(/\n/g, ""))).toBe(false);
  });
});
