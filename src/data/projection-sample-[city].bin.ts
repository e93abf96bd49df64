// The projection page's sample of one city: the reference sample of the page's build-time
// projection (src/loaders/projection-page.ts: the first 5 000 persons `fundsim project --seed 1`
// simulates for 2023), in the what-if page's binary (src/model/sample-codec.ts encodeSample) with the
// generator's facility ids kept. The page's worker re-runs the projection on it when the reader
// edits an assumption or asks for a goal-seek. Framework runs it with --city=….
import { parseArgs } from "node:util";
import { PAGE_BASE_YEAR, PAGE_SEED, pageSample } from "../loaders/projection-page.ts";
import { encodeSample } from "../model/sample-codec.ts";
import { type CityId } from "../model/types.ts";
import { cityIds } from "../loaders/cities.ts";

const { values } = parseArgs({ options: { city: { type: "string" } } });
const city = values.city as CityId;
if (!cityIds().includes(city)) throw new Error(`projection sample loader: --city must be one of ${cityIds().join(", ")}, got ${values.city}`);

const { persons, claims } = pageSample(city);
process.stdout.write(encodeSample({ city, year: PAGE_BASE_YEAR, seed: PAGE_SEED, firstId: 0 }, { persons, claims }, { keepFacilityIds: true }));
