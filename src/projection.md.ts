// The projection page (src/projection.md.in) with each city's reference sample file and its
// population draws (the Monte Carlo's, for the goal-seek on a percentile).
import { cityIds } from "./loaders/cities.ts";
import { PAGE_SAMPLES } from "./loaders/projection-page.ts";
import { attachmentTable, fillTemplate } from "./site/page-template.ts";

process.stdout.write(
  fillTemplate(new URL("./projection.md.in", import.meta.url).pathname, {
    SAMPLES: attachmentTable(
      "SAMPLES",
      "Each city's reference sample (src/data/projection-sample-[city].bin.ts), listed by src/projection.md.ts from the cities found.",
      cityIds().map((city) => [city, `data/projection-sample-${city}.bin`]),
    ),
    DRAW_SAMPLES: attachmentTable(
      "DRAW_SAMPLES",
      "Each city's population draws <city>-<i> (src/data/projection-draw-[city]-[draw].bin.ts), listed by src/projection.md.ts.",
      cityIds().flatMap((city) => Array.from({ length: PAGE_SAMPLES }, (_, i): [string, string] => [`${city}-${i}`, `data/projection-draw-${city}-${i}.bin`])),
    ),
  }),
);
