// Careless and hostile input through the real CLI (issue 11): /dev/zero, a 5 MB input, deep JSON, a
// YAML alias bomb, /etc/passwd as a scenario, escape sequences in a scenario's name, a closed
// standard output. Each: exit 2 (or 0), one message, no stack, quickly.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "fundsim-cli-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

function fundsim(args: string[], o: { input?: string | Buffer; stdin?: number; env?: Record<string, string> } = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ["bin/fundsim.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: o.input,
    stdio: o.stdin !== undefined ? [o.stdin, "pipe", "pipe"] : undefined,
    env: { ...process.env, TZ: "Asia/Shanghai", ...o.env },
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { ...r, seconds: (Date.now() - t0) / 1000 };
}
const RUN = ["run", "--city", "lanzhou", "--persons", "1000", "--threads", "1"];
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at |RangeError|TypeError|Error:/);

describe("input files and standard input", () => {
  it("/dev/zero as calc input (a path, or standard input) and as a scenario: exit 2 at once", () => {
    const a = fundsim(["calc", "/dev/zero"]);
    expect(a.status).toBe(2);
    expect(a.stderr).toBe("fundsim calc: /dev/zero: not a regular file (a character device)\n");
    const zero = openSync("/dev/zero", "r");
    try {
      const b = fundsim(["calc", "-"], { stdin: zero });
      expect(b.status).toBe(2);
      expect(b.stderr).toBe("fundsim calc: (input): more than the input limit of 4 MiB (FUNDSIM_MAX_INPUT_BYTES sets another)\n");
      expect(b.seconds).toBeLessThan(15);
    } finally {
      closeSync(zero);
    }
    const c = fundsim([...RUN, "--scenario", "/dev/zero", "--out", join(dir, "o1")]);
    expect(c.status).toBe(2);
    expect(c.stderr).toBe("fundsim run: /dev/zero: not a regular file (a character device)\n");
  });

  it("a 5 MB input is refused by the size limit (a file, and a pipe); FUNDSIM_MAX_INPUT_BYTES raises it", () => {
    const big = `{"city":"lanzhou","pad":"${"x".repeat(5_000_000)}"}`;
    const p = file("big.json", big);
    const a = fundsim(["calc", p]);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/^fundsim calc: .*big\.json: is 5,000,0\d\d bytes, more than the input limit of 4 MiB \(FUNDSIM_MAX_INPUT_BYTES sets another\)\n$/);
    const b = fundsim(["calc", "-"], { input: big });
    expect(b.status).toBe(2);
    expect(b.stderr).toContain("(input): more than the input limit of 4 MiB");
    const c = fundsim(["calc", p], { env: { FUNDSIM_MAX_INPUT_BYTES: "6000000" } });
    expect(c.status).toBe(2); // read whole now: refused for its fields, not its size
    expect(c.stderr).not.toContain("input limit");
    expect(c.stderr).toContain("pad: unknown field");
    const help = fundsim(["calc", "--help"]);
    expect(help.stdout).toContain("at most 4 MiB");
    expect(help.stdout).toContain("FUNDSIM_MAX_INPUT_BYTES");
  });

  it("JSON nested 4 500 deep: one message, exit 2, no stack", () => {
    const deep = "[".repeat(4500) + "]".repeat(4500);
    const r = fundsim(["calc", "-"], { input: `{"city":"lanzhou","person":{"status":"retired"},"claims":[],"scenario":${deep}}` });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("fundsim calc: (input): nested deeper than 64 levels\n");
    noStack(r.stderr);
  });

  it("a YAML alias bomb as a scenario: refused at once", () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = "a";
    for (const l of "bcdefghi") {
      text += `${l}: &${l} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
      prev = l;
    }
    const r = fundsim([...RUN, "--scenario", file("bomb.yaml", text), "--out", join(dir, "o2")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^fundsim run: .*bomb\.yaml: its aliases \(\*name\) would expand it by [\d,]+ values \(at most 10,000\)\n$/);
    expect(r.seconds).toBeLessThan(15);
  });

  it("/etc/passwd as a scenario: no line of the file in the message", () => {
    const r = fundsim(["project", "--city", "lanzhou", "--persons", "500", "--years", "2", "--scenario", "/etc/passwd", "--out", join(dir, "o3")]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^fundsim project: \/etc\/passwd: not a scenario file/);
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const user = line.split(":")[0];
      if (user.length >= 3) expect(r.stderr, user).not.toContain(user);
    }
  });
});

describe("what the CLI prints", () => {
  it("escape sequences in a scenario's name are escaped on stdout (run) and in messages", () => {
    const esc = "\u001b]0;owned\u0007\u001b[31mRED";
    const scenario = file("ansi.yaml", `name: "${esc.replace(/\u001b/g, "\\e").replace(/\u0007/g, "\\a")}"\n`);
    const r = fundsim([...RUN, "--scenario", scenario, "--out", join(dir, "o4")]);
    expect(RAW_CONTROL.test(r.stdout.replace(/\n/g, "")), r.stdout).toBe(false);
    expect(RAW_CONTROL.test(r.stderr.replace(/\n/g, ""))).toBe(false);
    if (r.status === 0) expect(r.stdout).toContain("\\u001b]0;owned\\u0007\\u001b[31mRED vs baseline");
    else expect(r.status).toBe(2); // a schema that refuses control characters in names is fine too
    // An option's value and an unknown option, echoed: escaped too.
    const o = fundsim(["run", "--city", `lan${esc}`, "--out", join(dir, "o5")]);
    expect(o.status).toBe(2);
    expect(RAW_CONTROL.test(o.stderr.replace(/\n/g, ""))).toBe(false);
    const u = fundsim(["run", `--x${esc}`]);
    expect(u.status).toBe(2);
    expect(RAW_CONTROL.test(u.stderr.replace(/\n/g, ""))).toBe(false);
  });

  it("a standard output closed early (| head -c 10): quiet exit, no stack", () => {
    const claims = Array.from({ length: 400 }, (_, i) => ({ date: `2023-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`, level: 1 + (i % 3), amount: String(100 + i) }));
    const input = file("many.json", JSON.stringify({ city: "lanzhou", person: { status: "retired" }, claims }));
    const r = spawnSync("bash", ["-c", `"${process.execPath}" bin/fundsim.js calc "${input}" | head -c 10; exit \${PIPESTATUS[0]}`], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, TZ: "Asia/Shanghai" },
      timeout: 30_000,
    });
    expect(r.stdout).toBe('{\n  "city"');
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
