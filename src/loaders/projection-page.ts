// The projection page's reference sample, shared by its build-time data (src/data/projection.json.ts)
// and the sample its web worker recomputes on (src/data/projection-sample-[city].bin.ts): the same
// persons and claims, so a path the browser recomputes at the files' assumptions is the build's
// central path, and a goal-seek in the browser is the build's (and `fundsim project --persons N`'s).
import { type Chunk, cityModel, generateChunk } from "./population/index.ts";
import type { BaseSample } from "../model/projection/year-sample.ts";
import type { CityId } from "../model/types.ts";

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);

/** Persons in the reference sample (`fundsim project --persons`), base year, horizon and seed. */
export const PAGE_PERSONS = env("FUNDSIM_PROJECTION_PERSONS", 5_000);
export const PAGE_BASE_YEAR = 2023;
export const PAGE_YEARS = 10;
export const PAGE_SEED = 1;
/** The Monte Carlo's population draws (`fundsim project --samples N --sample-persons M`): the
 *  build's band, and the page's goal-seek on a percentile, which runs on the same draws. */
export const PAGE_SAMPLES = env("FUNDSIM_PROJECTION_SAMPLES", 5);
export const PAGE_SAMPLE_PERSONS = env("FUNDSIM_PROJECTION_SAMPLE_PERSONS", 500);

/** A projection's reference sample: the first `persons` persons of the population `fundsim run
 *  --seed S` simulates for the year (the CLI's, the page's and the Monte Carlo's draws alike). */
export function sampleOf(city: CityId, year: number, seed: number, persons: number): ReferenceSample {
  return sampleFrom(generateChunk(cityModel(city, year), seed, 0, persons));
}

/** A generated chunk as a projection's sample (its ids and sexes from the person columns). */
export type ReferenceSample = BaseSample & Chunk;
export function sampleFrom({ persons, claims }: Chunk): ReferenceSample {
  return { persons, claims, ids: persons.id, sex: persons.sex };
}

/** The first `persons` persons of the population `fundsim project --seed 1` simulates. */
export function pageSample(city: CityId, persons = PAGE_PERSONS, seed = PAGE_SEED) {
  return sampleOf(city, PAGE_BASE_YEAR, seed, persons);
}

/** The page's population draw i (0 …  PAGE_SAMPLES − 1): seed PAGE_SEED + 1 + i, as `fundsim project
 *  --seed 1 --samples N` draws them. */
export function pageDrawSample(city: CityId, i: number) {
  return pageSample(city, PAGE_SAMPLE_PERSONS, PAGE_SEED + 1 + i);
}
