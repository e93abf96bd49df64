// The central projection on two threads (src/cli/project-central.ts) gives exactly the paths of one
// thread: the worker rebuilds the same prepared projection from the run's options.
import { describe, expect, it } from "vitest";
import { centralInputOf, startCentral } from "../src/cli/project-central.ts";

describe("the central projection on two threads", () => {
  it("equals one thread's, year by year and line by line", async () => {
    const job = { city: "ganzhou" as const, scenario: null, baseYear: 2023, years: 4, persons: 3000, seed: 2 };
    const run = startCentral(job, 2, 0);
    const { prep, params } = centralInputOf(job);
    const serial = await startCentral(job, 1).schemes(prep, params);
    const parallel = await run.schemes(prep, params);
    expect(parallel.map((s) => s.scheme)).toEqual(serial.map((s) => s.scheme));
    expect(JSON.parse(JSON.stringify(parallel))).toEqual(JSON.parse(JSON.stringify(serial)));
    expect(serial[1].years[3].monthsOfReserve).not.toBe(serial[0].years[3].monthsOfReserve); // two schemes, not one twice
  }, 120_000);
});
