// The overview's policy cards: for each city, the reform's key rules in force on one date, each
// with the article it comes from, and the general-pooling rates as numbers for the chart.
// Run by Framework through tsx (cwd = project root); prints JSON to stdout.
import { loadPolicy } from "../loaders/policies.ts";
import { policyCard } from "../model/card.ts";
import { parseIsoDay } from "../model/dates.ts";
import { rulesAt } from "../model/policy.ts";
import { LEVELS } from "../model/types.ts";
import { cityIds } from "../loaders/cities.ts";

const DATE = "2024-06-01";
const day = parseIsoDay(DATE) as number;

const cities = cityIds().map((city) => {
  const policy = loadPolicy(city);
  const rules = rulesAt(policy.reform, day);
  const general = rules?.benefits.general;
  // rateBp cells: index (level − 1) × 2 + (retired ? 1 : 0)
  const rates = general
    ? LEVELS.flatMap((level) =>
        (["active", "retired"] as const).map((status, s) => ({ level, status, rateBp: general.rateBp[(level - 1) * 2 + s] })),
      )
    : [];
  return {
    city,
    nameZh: policy.name.zh,
    nameEn: policy.name.en,
    provinceZh: policy.province.zh,
    provinceEn: policy.province.en,
    document: { title: policy.document.title, number: policy.document.number },
    scheme: policy.reform.label,
    rows: policyCard(policy, "reform", DATE),
    rates,
  };
});

process.stdout.write(JSON.stringify({ date: DATE, cities }));
