// One population draw of the projection page's Monte Carlo (src/loaders/projection-page.ts
// pageDrawSample: the first PAGE_SAMPLE_PERSONS persons `fundsim project --seed 1` simulates with
// seed 1 + 1 + draw), in the reference sample's binary (src/model/sample-codec.ts, facility ids
// kept). The page's worker runs its goal-seek on a percentile or a probability on these draws — the
// ones the build's band ran on. Framework runs it with --city=… --draw=….
import { parseArgs } from "node:util";
import { PAGE_BASE_YEAR, PAGE_SAMPLES, PAGE_SEED, pageDrawSample } from "../loaders/projection-page.ts";
import { encodeSample } from "../model/sample-codec.ts";
import { type CityId } from "../model/types.ts";
import { cityIds } from "../loaders/cities.ts";

const { values } = parseArgs({ options: { city: { type: "string" }, draw: { type: "string" } } });
const city = values.city as CityId;
const draw = Number(values.draw);
if (!cityIds().includes(city)) throw new Error(`projection draw loader: --city must be one of ${cityIds().join(", ")}, got ${values.city}`);
if (!Number.isInteger(draw) || draw < 0 || draw >= PAGE_SAMPLES) throw new Error(`projection draw loader: --draw must be 0–${PAGE_SAMPLES - 1}, got ${values.draw}`);

const { persons, claims } = pageDrawSample(city, draw);
process.stdout.write(encodeSample({ city, year: PAGE_BASE_YEAR, seed: PAGE_SEED + 1 + draw, firstId: 0 }, { persons, claims }, { keepFacilityIds: true }));
