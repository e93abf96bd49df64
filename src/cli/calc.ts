// `fundsim calc FILE|-`: one person-year in, its adjudication out (../shared/contract/calculator.md).
// runCalc is the command without process I/O, so tests drive it in-process. The input is read
// through src/loaders/read-input.ts: a regular file or standard input, at most 4 MiB
// (FUNDSIM_MAX_INPUT_BYTES), nested at most 64 levels; every message is escaped and bounded.
import type { Command } from "commander";
import { type CommandResult, runCalcWith } from "../model/calc-run.ts";
import { cityIds } from "../loaders/cities.ts";
import { fileDisplayName, loadPolicy, loadScenarioFile } from "../loaders/policies.ts";
import { PolicyError } from "../model/policy.ts";
import { DEFAULT_MAX_INPUT_BYTES, InputError, MAX_DEPTH, MAX_INPUT_ENV, printable, readInput } from "../loaders/read-input.ts";

export type { CommandResult };

/** The command without process I/O: policies and scenario files come from disk. runCalcWith checks
 *  the JSON (syntax without quoting the input, nesting) and escapes and bounds every message. */
export function runCalc(inputText: string): CommandResult {
  let cities: string[];
  try {
    cities = cityIds(); // the policy files found (src/policies and FUNDSIM_POLICIES)
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return { code: 2, stdout: "", stderr: e.problems.map((p) => printable(`fundsim calc: ${e.source}: ${p}`)).join("") };
  }
  return runCalcWith(inputText, { cities, policy: loadPolicy, scenarioFile: loadScenarioFile });
}

const HELP_AFTER = `
Input (JSON; see docs/calculation.md and ../shared/contract/calculator.md):
  city            a city id: a policy file's name (src/policies, --policies)  (required)
  scenario        reform | baseline | a scenario file's path | a scenario object   (default reform)
  year            year of the account credits shown, within the city's period (default: first claim's)
  person.status   active | retired | flexible                             (required)
  person.birthDate, person.retiredOn (ISO dates; birthDate sets the age on each claim's date, and
                  on each month's first day for credits, where the rules go by age: Jinan's 70+
                  retiree credit, a scheme's ageBands, accounts.activeByAge / retiredByAge),
  person.oldWorker (Jinan 建国前老工人),
  person.twoDiseases [hypertension, diabetes], person.hasAccount (flexible; default true),
  person.contributionBase, person.pension (monthly yuan, for account credits),
  person.accountBalance (opening yuan: the account then pays self-pay before cash; where a benefit
                  spends the account first (deductible.accountFirst, a 自负段) the account is
                  tracked anyway, from 0 when not given, and pays the eligible cost first)
  person.arrears  [{"paidOn": date, "months": 1..600}] arrears paid back (补缴欠费): credited to the
                  account in the month paid where the city's data says so (Ganzhou 第六条（四）:
                  months × 2% of contributionBase)
  person.stays    [{"from": date, "to": date}] inpatient stays / day surgeries, both days included:
                  claims dated within one get nothing where the city's data says so
                  (Lanzhou 第八条; exclusion "during_stay")
  person.contributionYears  whole years of contributions (累计缴费年限), 0..80: where the rules let
                  the general cap grow with them (caps.generalGrowth); default: the plain cap
  person.chronic  true: registered for the chronic/special-disease benefit (门诊慢特病); a two-disease
                  patient's two_disease claims then go to that scheme where the city says so
                  (Neijiang 第十一条, Ganzhou 第五条（四）; exclusion "chronic_scheme"; default false)
  claims[].date   ISO date (required)       claims[].level  1 | 2 | 3 (required)
  claims[].amount yuan, ≤ 2 decimals (required)   claims[].eligible  policy-scope part (default amount)
  claims[].kind   general | tcm | two_disease | special_exam | chronic_special | inpatient | day_surgery
  claims[].setting facility | pharmacy     claims[].area local | in_province | out_of_province | registered_elsewhere
  claims[].designated (default true)  claims[].emergency (default false)
  claims[].prescription (pharmacy with an external prescription; default true)  claims[].facility (an id)
  claims[].flags  a list of work_injury | third_party | public_health | wellness | no_card |
                  arrears_period | other_not_payable (each at most once; default none): excluded,
                  with the flag as the reason, where the city's data says so (Lüliang 不予支付第1–4、9、
                  13、14项; 社会保险法第三十条 elsewhere); a flag the city has no rule for changes nothing
  claims[].chosenFacility  false: away from the person's chosen or signed facility (选定/签约定点;
                  default true): not paid or paid at other rates where the rules say so
                  (coverage.notChosenFacility; exclusion "not_chosen_facility")
  claims[].facilityType  hospital | community (社区卫生服务中心; default hospital): a community
                  health centre's own rate and deductible where the rules set them
                  (benefits.<id>.rate.community, deductible.community)

Output: JSON with each claim's fund, deductible, outOfPocket, rule and trace (in input order; steps:
the trace one step a line as {step, ref, zh, en}, in Chinese and English), totals, the year's account
credits and, where the city has one, the annual second payment.
Bad input: one message per problem on stderr naming the field, nothing on stdout, exit status 2.
The input is a regular file or standard input of at most ${DEFAULT_MAX_INPUT_BYTES / 1024 / 1024} MiB (the environment variable
${MAX_INPUT_ENV} sets another limit, in bytes), nested at most ${MAX_DEPTH} levels deep.

Example:
  echo '{"city":"lanzhou","person":{"status":"retired"},"claims":[{"date":"2023-05-01","level":1,"amount":"1000"}]}' | fundsim calc -
`;

export function register(program: Command): void {
  program
    .command("calc")
    .description("adjudicate one person-year's claims under a city's rules (JSON in, JSON out)")
    .argument("<file>", "input JSON file, or - for standard input")
    .addHelpText("after", HELP_AFTER)
    .action(async (file: string) => {
      let text: string;
      try {
        text = await readInput(file, { source: file === "-" ? "(input)" : fileDisplayName(file) });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        process.stderr.write(printable(`fundsim calc: ${e.message}`));
        process.exitCode = 2;
        return;
      }
      const r = runCalc(text);
      if (r.stdout) process.stdout.write(r.stdout);
      if (r.stderr) process.stderr.write(r.stderr);
      process.exitCode = r.code;
    });
}
