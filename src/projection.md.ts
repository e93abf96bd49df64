// The projection page (src/projection.md.in) with each city's reference sample file.
import { cityIds } from "./loaders/cities.ts";
import { attachmentTable, fillTemplate } from "./site/page-template.ts";

process.stdout.write(
  fillTemplate(new URL("./projection.md.in", import.meta.url).pathname, {
    SAMPLES: attachmentTable(
      "SAMPLES",
      "Each city's reference sample (src/data/projection-sample-[city].bin.ts), listed by src/projection.md.ts from the cities found.",
      cityIds().map((city) => [city, `data/projection-sample-${city}.bin`]),
    ),
  }),
);
