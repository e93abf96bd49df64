// A scenario in a link: base64url of its JSON (without the city, which the URL carries), bounded
// and checked when read back. Separate: how the what-if page's link carries a scenario, not what it computes.
import { showValue } from "./limits.ts";
import type { Scenario } from "./policy-schema.ts";
import { isRecord } from "./scenario-path.ts";

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A scenario (without its city, which the URL carries) as a URL-safe string. */
export function encodeScenarioParam(s: Scenario): string {
  const { city: _city, base, ...rest } = s;
  const compact = base === "reform" ? rest : { base, ...rest };
  return toBase64Url(new TextEncoder().encode(JSON.stringify(compact)));
}

/** The longest scenario a link may carry (the `s=` parameter's text): 64 KiB. A scenario the page
 *  writes is a few hundred characters. */
export const MAX_SCENARIO_PARAM_CHARS = 64 * 1024;

/** The scenario object a URL string holds (validate it with parseScenario, which refuses a path
 *  through `__proto__`: JSON.parse makes such a key an own property, harmless until assigned). */
export function decodeScenarioParam(text: string): unknown {
  if (text.length > MAX_SCENARIO_PARAM_CHARS) {
    throw new Error(`the scenario in the link is ${text.length} characters long; a link may carry at most ${MAX_SCENARIO_PARAM_CHARS}`);
  }
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("the scenario in the link is not base64url text");
  let json: string;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(fromBase64Url(text));
  } catch {
    throw new Error("the scenario in the link cannot be decoded (not base64url-encoded UTF-8)");
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new Error(`the scenario in the link is not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(value)) throw new Error(`the scenario in the link must be an object, got ${showValue(value)}`);
  return value;
}
