// The model figures quoted in docs/projection.md and README.md come from runs (issue 13): every
// marked figure is recomputed by scripts/doc-figures.ts at the size and seed its sentence states
// and compared with the text; a figure the model no longer gives fails, named. The seed-to-seed
// table (minutes of work) is checked only by `npm run doc-figures -- --full`.
import { describe, expect, it } from "vitest";

// The docs quote the project's own five cities: their figures are computed without the directories
// FUNDSIM_POLICIES adds (a user's, or the test run's made-up city: test/made-up-city.ts), which
// would add their own figures and enter the cities' totals. (The env is read when the script loads.)
delete process.env.FUNDSIM_POLICIES;
const { checkDocs, FIGURES, fixed, markersOf, report } = await import("../scripts/doc-figures.ts");

describe("figures quoted in the docs", () => {
  it("every marked figure is what the model gives today", () => {
    const c = checkDocs();
    const problems = report(c, true).trim().split("\n").slice(0, -1); // the last line is the summary
    expect(problems, problems.join("\n")).toEqual([]);
    expect(c.checked).toBeGreaterThan(10);
    // Only the full ones (the seed-to-seed table) are skipped, and every figure is quoted somewhere.
    expect(c.skipped.every((n) => FIGURES[n].full)).toBe(true);
    expect(c.unused).toEqual([]);
  });

  it("a changed figure is reported by name, a marker naming no figure too", () => {
    const text = "a <!-- fig:lanzhou.rate+2.5.level1 -->60 %/65 %<!-- /fig --> b <!-- fig:no.such -->1<!-- /fig --> `<!-- fig:‹name› -->…<!-- /fig -->`";
    const m = markersOf("x.md", text);
    expect(m.map((x) => [x.name, x.quoted])).toEqual([["lanzhou.rate+2.5.level1", "60 %/65 %"], ["no.such", "1"]]);
    const computed = FIGURES[m[0].name].compute();
    expect(computed).toBe("67.5 %/72.5 %");
    const r = report({ differences: [{ ...m[0], computed }], unknown: [m[1]], unused: [], skipped: [], checked: 1 }, true);
    expect(r).toContain("x.md: lanzhou.rate+2.5.level1: quoted 60 %/65 %, the model gives 67.5 %/72.5 %");
    expect(r).toContain("x.md: no.such: no such figure");
    expect(fixed(-0.25, 1)).toBe("−0.3");
  });
});
