
    import { runPipeline } from "./src/pipeline/run.ts";
    const t = performance.now();
    await runPipeline({ cities: ["lanzhou"], year: 2023, seed: 1, persons: 20000000, threads: 2, scenario: null, out: "/tmp/bench-XuoJQB/out", csv: false });
    console.log(JSON.stringify({ seconds: (performance.now() - t) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));