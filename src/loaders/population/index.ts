// The population engine's entry points: a chunk is a pure function of
// (model, seed, firstPersonId, count), so it can run on any thread in any order.

import { generatePersons } from "./persons.ts";
import { generateVisits } from "./visits.ts";
import { trimClaims, type Chunk } from "./columns.ts";
import { buildModel, type Model } from "./model.ts";
import { loadCalibration } from "../calibration/schema.ts";
import { calibrationAtYear } from "../calibration/years.ts";
import type { CityId } from "../../model/types.ts";

export const DEFAULT_CHUNK_SIZE = 65_536;

/** Generates persons firstId … firstId + count − 1 and their claims. */
export function generateChunk(model: Model, seed: number, firstId: number, count: number): Chunk {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0 … 4294967295, got ${seed}`);
  if (!Number.isInteger(firstId) || firstId < 0 || !Number.isInteger(count) || count < 0 || firstId + count > 0xffffffff) {
    throw new RangeError(`person ids must be integers in 0 … 4294967295 (firstId ${firstId}, count ${count})`);
  }
  const persons = generatePersons(model, seed, firstId, count);
  const claims = trimClaims(generateVisits(model, seed, persons));
  return { persons, claims };
}

/** Chunks covering persons 0 … persons − 1, in order. */
export function* generateChunks(model: Model, seed: number, persons: number, chunkSize = DEFAULT_CHUNK_SIZE): Generator<Chunk> {
  for (let first = 0; first < persons; first += chunkSize) yield generateChunk(model, seed, first, Math.min(chunkSize, persons - first));
}

/**
 * The chunks of persons 0 … persons − 1 whose indices `take()` hands out, as [index, chunk], until
 * it hands out one past the last. With a counter shared between threads (Atomics.add on a
 * SharedArrayBuffer) each chunk is generated once, by whichever thread takes it first; joined in
 * index order (joinChunks) they are the persons one thread generates in one chunk.
 */
export function* takeChunks(model: Model, seed: number, persons: number, take: () => number, chunkSize = DEFAULT_CHUNK_SIZE): Generator<[number, Chunk]> {
  const total = Math.ceil(persons / chunkSize);
  for (let i = take(); i < total; i = take()) yield [i, generateChunk(model, seed, i * chunkSize, Math.min(chunkSize, persons - i * chunkSize))];
}

/** The model of a city and year from its calibration files; a year before the base year at that
 *  year's national levels (calibration/years.yaml). */
export function cityModel(city: CityId, year: number): Model {
  return buildModel(calibrationAtYear(loadCalibration(city), year), year);
}

export { buildModel, type Model } from "./model.ts";
export * from "./columns.ts";
