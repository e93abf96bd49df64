// A policy file's text → the problems the loader reports for it (empty when it loads), written to
// `dir` (the caller's temporary directory, which it removes).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadPolicyFile } from "../src/loaders/policies.ts";
import { PolicyError } from "../src/model/policy.ts";

export function policyProblems(text: string, dir: string): string[] {
  const file = join(dir, "bad.yaml");
  writeFileSync(file, text);
  try {
    loadPolicyFile(file);
  } catch (e) {
    if (e instanceof PolicyError) return e.problems;
    throw e;
  }
  return [];
}
