// The what-if page's and the calculator's policy data: for each city the policy file's parsed YAML
// (the browser compiles it with compilePolicy, as the CLI does), the fund-finance assumptions, and
// the tunable parameters of the reform (derived from the policy data by deriveTunables: labels from
// the policy card, the article each comes from, slider ranges from the kind of value).
// Run by Framework through tsx (cwd = project root); prints JSON to stdout.
import { loadFinance } from "../loaders/finance.ts";
import { AGE_BANDS } from "../loaders/population/columns.ts";
import { loadPolicy } from "../loaders/policies.ts";
import { isoFromDay } from "../model/dates.ts";
import { cityIds } from "../loaders/cities.ts";
import { deriveTunables } from "../model/tunables.ts";
import { SITE_YEARS, whatIfYears } from "../site/years.ts";


const cities = cityIds().map((city) => {
  const policy = loadPolicy(city);
  const { finance, rows } = loadFinance(city);
  return {
    city,
    name: policy.name,
    province: policy.province,
    document: { title: policy.document.title, number: policy.document.number },
    schemes: Object.fromEntries(
      (["reform", "baseline"] as const).map((s) => [s, { label: policy[s].label, from: isoFromDay(policy[s].fromDay), until: isoFromDay(policy[s].untilDay), ref: policy[s].periodRef }]),
    ),
    years: whatIfYears(policy),
    raw: policy.raw,
    finance,
    financeSources: rows,
    tunables: deriveTunables(policy, "reform"),
  };
});

process.stdout.write(JSON.stringify({ years: SITE_YEARS, ageBands: AGE_BANDS, cities }));
