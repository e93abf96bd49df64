// A text file with {{NAME}} placeholders (the pages that list one file per city, the new-city
// skeleton): each placeholder replaced by its value; one without a value is an error.
import { readFileSync } from "node:fs";

export function fillTemplate(file: string, values: Record<string, string>): string {
  return readFileSync(file, "utf8").replace(/\{\{([A-Z_]+)\}\}/g, (_m, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`${file}: no value for {{${name}}}`);
    return values[name];
  });
}
