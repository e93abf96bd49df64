// The what-if page (src/what-if.md.in) with one sample file per city found and year it covers.
import { cityIds } from "./loaders/cities.ts";
import { loadPolicy } from "./loaders/policies.ts";
import { attachmentTable, fillTemplate } from "./site/page-template.ts";
import { whatIfYears } from "./site/years.ts";

const samples = cityIds().flatMap((city) => whatIfYears(loadPolicy(city)).map((y): [string, string] => [`${city}-${y}`, `data/sample-${city}-${y}.bin`]));
process.stdout.write(
  fillTemplate(new URL("./what-if.md.in", import.meta.url).pathname, {
    SAMPLES: attachmentTable("SAMPLES", "One sample per city-year (src/data/sample-[city]-[year].bin.ts), listed by src/what-if.md.ts from the cities found.", samples),
  }),
);
