// The what-if page's sample of one city-year: the first SAMPLE_PERSONS persons of the population
// `fundsim run --seed 1` simulates (the generator is deterministic by person id, so these are the
// same persons and claims as `fundsim run --city C --year Y --persons 20000`), in the compact
// binary of src/model/sample-codec.ts (encodeSample). Framework runs it with --city=… --year=….
import { parseArgs } from "node:util";
import { cityModel, generateChunk } from "../loaders/population/index.ts";
import { encodeSample } from "../model/sample-codec.ts";
import { type CityId } from "../model/types.ts";
import { cityIds } from "../loaders/cities.ts";

const SAMPLE_PERSONS = 20_000;
const SAMPLE_SEED = 1;

const { values } = parseArgs({ options: { city: { type: "string" }, year: { type: "string" } } });
const city = values.city as CityId;
const year = Number(values.year);
if (!cityIds().includes(city)) throw new Error(`sample loader: --city must be one of ${cityIds().join(", ")}, got ${values.city}`);
if (!Number.isInteger(year) || year < 2023 || year > 2027) throw new Error(`sample loader: --year must be 2023–2027, got ${values.year}`);

const { persons, claims } = generateChunk(cityModel(city, year), SAMPLE_SEED, 0, SAMPLE_PERSONS);
const bytes = encodeSample({ city, year, seed: SAMPLE_SEED, firstId: 0 }, { persons, claims });
process.stdout.write(bytes);
