// The what-if page's responsiveness in headless Chromium: a slider moves, the worker recomputes the
// city-year's sample under the new scenario, and the page redraws its table and charts. Measured
// in the page from the input event to the frame after every chart carries the new run's id, on
// the largest sample (by claims). Run alone with `npx tsx bench/whatif.ts`, or from bench/run.ts.
// Needs dist/ (built when missing or stale, as the browser tests do) and /usr/bin/chromium.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, DIST, ensureBuilt, serve } from "../test/browser/setup.ts";

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const MOVES = 21;
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** The biggest sample file in dist/ (by bytes: claims dominate), as city and year. */
function largestSample(): { city: string; year: number; bytes: number } {
  const dir = join(DIST, "_file", "data");
  let best = { city: "lanzhou", year: 2023, bytes: 0 };
  for (const f of readdirSync(dir)) {
    const m = /^sample-(\w+)-(\d{4})\.[0-9a-f]+\.bin$/.exec(f);
    if (!m) continue;
    const bytes = statSync(join(dir, f)).size;
    if (bytes > best.bytes) best = { city: m[1], year: Number(m[2]), bytes };
  }
  return best;
}

export async function benchWhatIf(): Promise<BenchResult[]> {
  ensureBuilt();
  const sample = largestSample();
  const server = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // tsx compiles this file with keepNames: functions passed to evaluate call its __name helper.
    await page.addInitScript("globalThis.__name = (f) => f");
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const t0 = Date.now();
    await page.goto(`${server.url}/what-if?city=${sample.city}&year=${sample.year}`, { waitUntil: "load" });
    await page.waitForFunction(() => document.querySelectorAll(".wi-results[data-run] .fs-chart[data-run] .vega-embed svg").length >= 3, undefined, { timeout: 60_000 });
    const loadMs = Date.now() - t0;
    const load = await page.evaluate(async () => {
      const r = (globalThis as unknown as { __fundsimWhatIf: { loads: Map<string, { value?: { ms: Record<string, number>; bytes: number } }> } }).__fundsimWhatIf;
      const v = [...r.loads.values()][0]?.value;
      return { ms: v?.ms ?? {}, bytes: v?.bytes ?? 0 };
    });

    // Move the general deductible's slider back and forth; time each move to the redrawn charts.
    const timings = await page.evaluate(async (moves: number) => {
      const runner = (globalThis as unknown as { __fundsimWhatIf: { requested: number; timing: Record<string, number> } }).__fundsimWhatIf;
      const slider = document.querySelector<HTMLInputElement>('.wi-param[data-path="benefits.general.deductible.amount"] input[type=range], .wi-param[data-kind="yuan"] input[type=range]')!;
      const start = Number(slider.value);
      const frame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
      const out: Array<Record<string, number>> = [];
      for (let i = 0; i < moves; i++) {
        const before = runner.requested;
        const t0 = performance.now();
        slider.value = String(start + ((i % 2) + 1) * 50);
        slider.dispatchEvent(new Event("input", { bubbles: true }));
        let table = 0;
        for (;;) {
          const id = runner.requested;
          const now = await frame();
          const status = document.querySelector<HTMLElement>(".wi-status")?.dataset ?? {};
          if (!table && id > before && status.run === String(id)) table = now - t0;
          const figs = [...document.querySelectorAll<HTMLElement>(".wi-main .fs-chart")];
          const results = document.querySelector<HTMLElement>(".wi-results");
          if (id > before && results?.dataset.run === String(id) && figs.length >= 3 && figs.every((f) => f.dataset.run === String(id))) {
            const worker = Number(status.ms);
            const tm = runner.timing;
            const w = (tm.worker ?? {}) as unknown as Record<string, number>;
            out.push({ table: table || now - t0, all: now - t0, worker, called: tm.called - t0, received: tm.received - t0, transit: w.transit, queued: w.queued, engine: w.engine, summaries: w.summaries });
            break;
          }
          if (now - t0 > 20_000) throw new Error("no redraw within 20 s");
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return out;
    }, MOVES);
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    const steady = timings.slice(1); // the first move warms the worker's JIT
    if (process.env.BENCH_VERBOSE) console.table(steady);
    const note = `${sample.city} ${sample.year}, 20,000 persons; median of ${steady.length} moves`;
    return [
      { name: "what-if: page load to first charts", value: loadMs, unit: "ms", note: `${(sample.bytes / 1e6).toFixed(1)} MB sample; fetch ${Math.round(load.ms.fetch ?? 0)} ms, decode ${Math.round(load.ms.decode ?? 0)} ms, baseline + reform ${Math.round(load.ms.prepare ?? 0)} ms` },
      { name: "what-if: slider move → all three charts redrawn", value: Math.round(median(steady.map((t) => t.all))), unit: "ms", note: `${note}; p90 ${Math.round(quantile(steady.map((t) => t.all), 0.9))} ms; goal < 150 ms` },
      { name: "what-if: slider move → headline table updated", value: Math.round(median(steady.map((t) => t.table))), unit: "ms", note },
      { name: "what-if: worker recompute (rules + summaries)", value: Math.round(median(steady.map((t) => t.worker))), unit: "ms", note },
      { name: "what-if: slider move → result back from the worker", value: Math.round(median(steady.map((t) => t.received))), unit: "ms", note },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const r of await benchWhatIf()) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? ` — ${r.note}` : ""}`);
}
