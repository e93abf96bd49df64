// Compiles a city's calibration and a year into the lookup tables the generators read: age
// tables with their birth-month ranges, prevalence and utilisation by single year of age, level
// mixes, a day-of-year table, lognormal parameters. Also solves the free scale parameters so the
// *expected* values of a population at the national reference mix hit the calibration targets
// exactly: the expectations are sums over the same discrete tables the sampler draws from, so a
// large sample, age-standardised to that mix, lands on the targets up to sampling noise.
//
// Utilisation and cost targets are national figures by status; the rates by age are solved on the
// national (untilted) age structure of each status and then applied to the city's own ages
// (population.ageTilt, from its census), so an older city uses more care within a status and a
// younger one less: the city's crude levels differ from the national ones by its age mix alone.
//
// A Model is a pure function of (calibration, year); generation is a pure function of
// (model, seed, firstPersonId, count), so a worker thread can rebuild the model from the same
// inputs.

import type { Calibration } from "../calibration/schema.ts";
import { retirementMonth } from "../../model/retirement.ts";

// The statutory retirement rule lives in one place (src/model/retirement.ts), shared with the projection.
export { retirementMonth };

export const MAX_AGE = 110;
const AGES = MAX_AGE + 1;
export const ACTIVE_MIN_AGE = 18;
export const RETIRED_MIN_AGE = 40;
const KEY_SPAN = 65_536;

/** Group index = status group (0 active incl. flexible, 1 retired by year end) × 3 + retirement type
 *  (0 men, 1 women with retirement age 55, 2 women with 50). */
export const GROUPS = 6;

export interface Model {
  city: Calibration["city"];
  year: number;
  cal: Calibration;
  yearStartDay: number;
  daysInYear: number;
  /** Absolute month index (year·12 + month − 1) → day number of its first day, offset by MONTH_BASE. */
  monthStart: Int32Array;
  // population
  pRetired: number;
  femaleShare: [number, number];
  womenWorkersShare: number;
  flexibleShare: number;
  /** Per group: cumulative distribution over ages 0..MAX_AGE. */
  ageCdf: Float64Array[];
  /** Per group: per age, first and last allowed birth month (0–11); −1 when none. */
  monthLo: Int8Array[];
  monthHi: Int8Array[];
  retirementAges: number[];
  delayStartMonth: number;
  delayEvery: number[];
  delayMax: number[];
  baseFloorFen: number;
  baseCapFen: number;
  baseMu: number;
  baseSigma: number;
  flexibleAtFloorShare: number;
  pensionMu: number;
  pensionSigma: number;
  flexibleWithAccountShare: number;
  oldWorkerShare: number;
  oldWorkerBornBy: number;
  registeredElsewhereShare: [number, number];
  // disease, by age
  htnP: Float64Array;
  dmP: Float64Array;
  chronicP: Float64Array;
  htnDiagnosed: number;
  dmDiagnosed: number;
  registeredShare: number;
  // utilisation, per status group s (0 active, 1 retired), by age: index s·AGES + age
  outRate: Float64Array;
  ipRate: Float64Array;
  dsRate: [number, number];
  dispersion: [number, number];
  visitMult: [number, number, number];
  ipMult: [number, number, number];
  pharmacyShare: [number, number];
  prescriptionShare: number;
  /** By age: cumulative level-1 and level-1+2 shares (index age·2, age·2 + 1). */
  levelCum: Float64Array;
  specialExamShare: number[];
  specialExamLogFactor: number;
  tcmShare: number[];
  twoDiseaseShare: number;
  chronicSpecialShare: number;
  ipLevelCum: [number, number];
  dsLevelCum: [number, number];
  emergencyShare: number[];
  designatedShare: [number, number];
  areaShares: [number, number];
  registeredElsewhereLocalShare: number;
  /** 65 536 slots → day offset within the year (seasonality by inversion). */
  dayTable: Uint16Array;
  facilities: number[];
  usualFacilityShare: number;
  maxEncounters: number;
  // costs (yuan, log scale)
  levelMu: [number, number, number];
  outSigma: number;
  pharmacyMu: number;
  ipMu: [number, number];
  ipSigma: number;
  dsMu: number;
  dsSigma: number;
  scopeShare: [number, number, number];
  pharmacyScopeShare: number;
  inpatientScopeShare: number;
  maxClaimFen: number;
  /** What the tables give in expectation (per person of the status group, a year, at the city's
   *  own ages unless named reference). */
  expected: {
    encounters: [number, number];
    outpatient: [number, number];
    inpatient: [number, number];
    daySurgery: [number, number];
    outpatientSpendYuan: [number, number];
    inpatientCostYuan: [number, number];
    spendingYuan: [number, number];
    hypertensionByBand: [number, number, number];
    /** The city's age distribution within each status group (what the sampler draws). */
    agePmf: [Float64Array, Float64Array];
    /** The national reference age distribution within each status group (population.ageTilt = 0):
     *  the rates and costs are solved on it, and the targets are age-standardised to it. */
    referenceAgePmf: [Float64Array, Float64Array];
    /** Encounters and spending per person of each status at the reference ages (the targets). */
    referenceEncounters: [number, number];
    referenceSpendingYuan: [number, number];
  };
}

export const MONTH_BASE_YEAR = 1880;
const MONTH_YEARS = 260;

function buildMonthStart(): Int32Array {
  const t = new Int32Array(MONTH_YEARS * 12 + 1);
  for (let m = 0; m < t.length; m++) {
    const y = MONTH_BASE_YEAR + Math.floor(m / 12);
    t[m] = Date.UTC(y, m % 12, 1) / 86_400_000;
  }
  return t;
}
const MONTH_START = buildMonthStart();

/** First day (day number) of absolute month index M = year·12 + month0. */
export function monthStartDay(M: number): number {
  return MONTH_START[M - MONTH_BASE_YEAR * 12];
}

/** Piecewise-linear interpolation of a [[ages], [values]] curve, flat beyond its ends. */
export function interp(curve: readonly (readonly number[])[], x: number): number {
  const xs = curve[0];
  const ys = curve[1];
  if (x <= xs[0]) return ys[0];
  const n = xs.length;
  if (x >= xs[n - 1]) return ys[n - 1];
  let i = 1;
  while (xs[i] < x) i++;
  const t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
  return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}

function activeWeight(weights: readonly number[], age: number): number {
  if (age < ACTIVE_MIN_AGE) return 0;
  if (age < 20) return weights[0];
  const i = 1 + Math.floor((age - 20) / 5);
  return i < weights.length ? weights[i] : 0;
}

/** Hypertension bands the targets use: 20–44, 45–64, 65+. */
export const HTN_BANDS: readonly [number, number][] = [
  [20, 44],
  [45, 64],
  [65, MAX_AGE],
];

export function buildModel(cal: Calibration, year: number): Model {
  if (!Number.isInteger(year) || year < MONTH_BASE_YEAR + MAX_AGE + 1 || year > MONTH_BASE_YEAR + MONTH_YEARS - 2) {
    throw new RangeError(`year must be an integer between ${MONTH_BASE_YEAR + MAX_AGE + 1} and ${MONTH_BASE_YEAR + MONTH_YEARS - 2}, got ${year}`);
  }
  const P = cal.population;
  const Dz = cal.disease;
  const U = cal.utilisation;
  const C = cal.costs;
  const yearStartDay = Date.UTC(year, 0, 1) / 86_400_000;
  const daysInYear = Date.UTC(year + 1, 0, 1) / 86_400_000 - yearStartDay;
  const lastBenefitMonth = year * 12 + 11;

  const rt = {
    retirementAges: [...P.retirementAges.value],
    delayStartMonth: P.delayStartYear.value * 12,
    delayEvery: [...P.delayEveryMonths.value],
    delayMax: [...P.delayMaxMonths.value],
  };

  // Age tables per group, with the birth months compatible with the group's status at year end.
  const pRetired = P.retireeShare.value;
  const femaleShare: [number, number] = [P.femaleShareActive.value, P.femaleShareRetired.value];
  const ww = P.womenWorkersShare.value;
  const [gA, gB] = P.retireeMortality.value;
  const decline = P.retireeCohortDecline.value;
  const tilt = P.ageTilt.value;
  const ageCdf: Float64Array[] = [];
  const monthLo: Int8Array[] = [];
  const monthHi: Int8Array[] = [];
  const groupPmf: Float64Array[] = [];
  const refGroupPmf: Float64Array[] = [];
  const normalise = (pmf: Float64Array, g: number): Float64Array => {
    let total = 0;
    for (let a = 0; a < AGES; a++) total += pmf[a];
    if (!(total > 0)) throw new Error(`calibration leaves no ages for group ${g}`);
    for (let a = 0; a < AGES; a++) pmf[a] /= total;
    return pmf;
  };
  for (let g = 0; g < GROUPS; g++) {
    const retired = g >= 3;
    const t = g % 3;
    const pmf = new Float64Array(AGES);
    const ref = new Float64Array(AGES);
    const lo = new Int8Array(AGES).fill(-1);
    const hi = new Int8Array(AGES).fill(-1);
    for (let a = 0; a < AGES; a++) {
      const by = year - a;
      let first = -1;
      let last = -1;
      for (let mo = 0; mo < 12; mo++) {
        const benefitsFrom = retirementMonth(rt, t, by * 12 + mo) + 1;
        const isRetired = benefitsFrom <= lastBenefitMonth;
        if (isRetired === retired) {
          if (first < 0) first = mo;
          last = mo;
        }
      }
      if (first < 0) continue;
      const frac = (last - first + 1) / 12;
      let w: number;
      if (!retired) w = activeWeight(P.activeAgeWeights.value, a);
      else if (a < RETIRED_MIN_AGE) w = 0;
      else {
        // Gompertz survival from 50 (relative), times the cohort decline.
        const surv = Math.exp(-(gA / gB) * (Math.exp(gB * a) - Math.exp(gB * 50)));
        w = surv * Math.exp(-decline * (a - 60));
      }
      ref[a] = w * frac;
      // The city's own age structure: the national weights tilted by its census (a stable-population
      // growth rate relative to the national one; 0 in national.yaml).
      pmf[a] = ref[a] * Math.exp(-tilt * (a - 40));
      lo[a] = first;
      hi[a] = last;
    }
    normalise(pmf, g);
    normalise(ref, g);
    const cdf = new Float64Array(AGES);
    let acc = 0;
    for (let a = 0; a < AGES; a++) {
      acc += pmf[a];
      cdf[a] = acc;
    }
    cdf[AGES - 1] = 1;
    ageCdf.push(cdf);
    monthLo.push(lo);
    monthHi.push(hi);
    groupPmf.push(pmf);
    refGroupPmf.push(ref);
  }
  // Status-group and population age distributions.
  const groupWeight = (g: number): number => {
    const s = g >= 3 ? 1 : 0;
    const t = g % 3;
    const fem = femaleShare[s];
    const wt = t === 0 ? 1 - fem : t === 1 ? fem * (1 - ww) : fem * ww;
    return wt;
  };
  const statusPmf: [Float64Array, Float64Array] = [new Float64Array(AGES), new Float64Array(AGES)];
  const refPmf: [Float64Array, Float64Array] = [new Float64Array(AGES), new Float64Array(AGES)];
  for (let g = 0; g < GROUPS; g++) {
    const s = g >= 3 ? 1 : 0;
    const w = groupWeight(g);
    for (let a = 0; a < AGES; a++) {
      statusPmf[s][a] += w * groupPmf[g][a];
      refPmf[s][a] += w * refGroupPmf[g][a];
    }
  }
  const popPmf = new Float64Array(AGES);
  for (let a = 0; a < AGES; a++) popPmf[a] = (1 - pRetired) * statusPmf[0][a] + pRetired * statusPmf[1][a];

  // Prevalence by age. Hypertension: the shape scaled within each band to the band's figure.
  const htnP = new Float64Array(AGES);
  const dmP = new Float64Array(AGES);
  const chronicP = new Float64Array(AGES);
  for (let a = 0; a < AGES; a++) {
    htnP[a] = interp(Dz.hypertensionShape.value, a);
    dmP[a] = interp(Dz.diabetesShape.value, a);
    chronicP[a] = interp(Dz.chronicShape.value, a);
  }
  const htnExpected: [number, number, number] = [0, 0, 0];
  HTN_BANDS.forEach(([lo, hi], b) => {
    let w = 0;
    let p = 0;
    for (let a = lo; a <= hi; a++) {
      w += popPmf[a];
      p += popPmf[a] * htnP[a];
    }
    const factor = w > 0 && p > 0 ? (Dz.hypertensionByBand.value[b] * w) / p : 1;
    let q = 0;
    for (let a = lo; a <= hi; a++) {
      htnP[a] = Math.min(0.98, htnP[a] * factor);
      q += popPmf[a] * htnP[a];
    }
    htnExpected[b] = w > 0 ? q / w : 0;
  });

  // Utilisation: per status, solve the rate scales so that the expected encounters and stays at the
  // national reference ages hit the targets (both are national figures at the national status mix
  // p0: encounters per insured, and the hospitalisation rate counting day surgery as a stay).
  const visitMult = [...U.diseaseVisitMultiplier.value] as [number, number, number];
  const ipMult = [...U.diseaseInpatientMultiplier.value] as [number, number, number];
  const eMult = (a: number, m: readonly number[]): number =>
    (1 + htnP[a] * (m[0] - 1)) * (1 + dmP[a] * (m[1] - 1)) * (1 + chronicP[a] * (m[2] - 1));
  const p0 = U.encounterStandardRetireeShare.value;
  const ratio = U.retiredToActiveEncounterRatio.value;
  const encActive = U.encountersPerInsured.value / (1 - p0 + p0 * ratio);
  const refEncounters: [number, number] = [encActive, encActive * ratio];
  const daySurgery: [number, number] = [U.daySurgeryRate.value[0], U.daySurgeryRate.value[1]];
  const stays = U.hospitalisationRate.value - ((1 - p0) * daySurgery[0] + p0 * daySurgery[1]);
  if (!(stays > 0)) throw new Error("the day-surgery rates exceed the hospitalisation rate");
  const ipRatio = U.retiredToActiveInpatientRatio.value;
  const ipActive = stays / (1 - p0 + p0 * ipRatio);
  const inpatient: [number, number] = [ipActive, ipActive * ipRatio];
  const refOutpatient: [number, number] = [0, 1].map((s) => refEncounters[s] - inpatient[s] - daySurgery[s]) as [number, number];
  if (refOutpatient[0] <= 0 || refOutpatient[1] <= 0) throw new Error("inpatient and day-surgery rates exceed the encounter targets");
  const outRate = new Float64Array(2 * AGES);
  const ipRate = new Float64Array(2 * AGES);
  // Expected outpatient encounters and stays per person of each status at the city's own ages.
  const outpatient: [number, number] = [0, 0];
  const cityInpatient: [number, number] = [0, 0];
  for (let s = 0; s < 2; s++) {
    let eo = 0;
    let ei = 0;
    for (let a = 0; a < AGES; a++) {
      const w = refPmf[s][a];
      if (w === 0) continue;
      eo += w * interp(U.outpatientAgeShape.value, a) * eMult(a, visitMult);
      ei += w * interp(U.inpatientAgeShape.value, a) * eMult(a, ipMult);
    }
    const co = refOutpatient[s] / eo;
    const ci = inpatient[s] / ei;
    for (let a = 0; a < AGES; a++) {
      outRate[s * AGES + a] = co * interp(U.outpatientAgeShape.value, a);
      ipRate[s * AGES + a] = ci * interp(U.inpatientAgeShape.value, a);
      const w = statusPmf[s][a];
      outpatient[s] += w * outRate[s * AGES + a] * eMult(a, visitMult);
      cityInpatient[s] += w * ipRate[s * AGES + a] * eMult(a, ipMult);
    }
  }
  const encounters: [number, number] = [0, 1].map((s) => outpatient[s] + cityInpatient[s] + daySurgery[s]) as [number, number];

  // Level mix by age.
  const levelCum = new Float64Array(2 * AGES);
  const lm = U.levelMix.value;
  const lmAges = lm[0];
  for (let a = 0; a < AGES; a++) {
    const mix = [0, 1, 2].map((l) => interp([lmAges, lm.slice(1).map((r) => r[l])], a));
    const tot = mix[0] + mix[1] + mix[2];
    levelCum[2 * a] = mix[0] / tot;
    levelCum[2 * a + 1] = (mix[0] + mix[1]) / tot;
  }

  // Costs: level means so that the mean over a level's outpatient facility claims hits its figure.
  const se = [...U.specialExamShare.value];
  const seF = U.specialExamCostFactor.value;
  const levelMean = [C.visitCostLevel1.value, C.visitCostLevel2.value, C.visitCostLevel3.value];
  const outSigma = C.outpatientCostSigma.value;
  const base = levelMean.map((m, l) => m / (1 + se[l] * (seF - 1)));
  const levelMu = base.map((b) => Math.log(b) - (outSigma * outSigma) / 2) as [number, number, number];
  const pharmacyShare: [number, number] = [U.pharmacyShare.value[0], U.pharmacyShare.value[1]];
  // Outpatient spending per person of each status, at the reference ages and at the city's own.
  const refOutSpend: [number, number] = [0, 0];
  const outSpend: [number, number] = [0, 0];
  for (let s = 0; s < 2; s++) {
    for (let a = 0; a < AGES; a++) {
      const c1 = levelCum[2 * a];
      const c2 = levelCum[2 * a + 1];
      const fac = c1 * levelMean[0] + (c2 - c1) * levelMean[1] + (1 - c2) * levelMean[2];
      const perVisit = pharmacyShare[s] * C.pharmacyCost.value + (1 - pharmacyShare[s]) * fac;
      const perPerson = outRate[s * AGES + a] * eMult(a, visitMult) * perVisit;
      refOutSpend[s] += refPmf[s][a] * perPerson;
      outSpend[s] += statusPmf[s][a] * perPerson;
    }
  }
  // The cost per inpatient stay is solved so that spending per person at the reference ages hits the
  // spending targets; the hospitalisation rate and the published cost per stay are checked, not tuned.
  const refSpending: [number, number] = [C.spendingActive.value, C.spendingRetired.value];
  const ipSigma = C.inpatientCostSigma.value;
  const ipCost = [0, 1].map((s) => {
    const rest = refSpending[s] - refOutSpend[s] - daySurgery[s] * C.daySurgeryCost.value;
    if (inpatient[s] <= 0 || rest <= 0) {
      throw new Error(`calibration cannot reach the ${s ? "retired" : "active"} spending target: outpatient and day surgery alone give ${(refOutSpend[s] + daySurgery[s] * C.daySurgeryCost.value).toFixed(0)} yuan`);
    }
    return rest / inpatient[s];
  }) as [number, number];
  const spending = [0, 1].map((s) => outSpend[s] + cityInpatient[s] * ipCost[s] + daySurgery[s] * C.daySurgeryCost.value) as [number, number];
  const ipMu = ipCost.map((m) => Math.log(m) - (ipSigma * ipSigma) / 2) as [number, number];
  const dsSigma = C.daySurgeryCostSigma.value;

  // Day-of-year table from month weights.
  const dayWeights = new Float64Array(daysInYear);
  for (let d = 0; d < daysInYear; d++) dayWeights[d] = U.monthWeights.value[new Date((yearStartDay + d) * 86_400_000).getUTCMonth()];
  const dayTable = new Uint16Array(65536);
  {
    let total = 0;
    for (let d = 0; d < daysInYear; d++) total += dayWeights[d];
    let d = 0;
    let acc = dayWeights[0] / total;
    for (let k = 0; k < 65536; k++) {
      const u = (k + 0.5) / 65536;
      while (u > acc && d < daysInYear - 1) {
        d++;
        acc += dayWeights[d] / total;
      }
      dayTable[k] = d;
    }
  }

  const ipm = U.inpatientLevelMix.value;
  const dsm = U.daySurgeryLevelMix.value;
  const wage = P.avgWageMonthly.value;
  return {
    city: cal.city,
    year,
    cal,
    yearStartDay,
    daysInYear,
    monthStart: MONTH_START,
    pRetired,
    femaleShare,
    womenWorkersShare: ww,
    flexibleShare: P.flexibleShareOfActive.value,
    ageCdf,
    monthLo,
    monthHi,
    ...rt,
    baseFloorFen: Math.round(wage * P.baseBounds.value[0] * 100),
    baseCapFen: Math.round(wage * P.baseBounds.value[1] * 100),
    baseMu: Math.log(wage * P.baseMedianRatio.value),
    baseSigma: P.baseSigma.value,
    flexibleAtFloorShare: P.flexibleAtFloorShare.value,
    pensionMu: Math.log(P.avgPensionMonthly.value) - (P.pensionSigma.value * P.pensionSigma.value) / 2,
    pensionSigma: P.pensionSigma.value,
    flexibleWithAccountShare: P.flexibleWithAccountShare.value,
    oldWorkerShare: P.oldWorkerShare.value,
    oldWorkerBornBy: P.oldWorkerBornBy.value,
    registeredElsewhereShare: [P.registeredElsewhereShare.value[0], P.registeredElsewhereShare.value[1]],
    htnP,
    dmP,
    chronicP,
    htnDiagnosed: Dz.hypertensionDiagnosedShare.value,
    dmDiagnosed: Dz.diabetesDiagnosedShare.value,
    registeredShare: Dz.twoDiseaseRegisteredShare.value,
    outRate,
    ipRate,
    dsRate: daySurgery,
    dispersion: [U.dispersion.value[0], U.dispersion.value[1]],
    visitMult,
    ipMult,
    pharmacyShare,
    prescriptionShare: U.prescriptionShare.value,
    levelCum,
    specialExamShare: se,
    specialExamLogFactor: Math.log(seF),
    tcmShare: [...U.tcmShare.value],
    twoDiseaseShare: U.twoDiseaseShare.value,
    chronicSpecialShare: U.chronicSpecialShare.value,
    ipLevelCum: [ipm[0], ipm[0] + ipm[1]],
    dsLevelCum: [dsm[0], dsm[0] + dsm[1]],
    emergencyShare: [...U.emergencyShare.value],
    designatedShare: [U.designatedShare.value[0], U.designatedShare.value[1]],
    areaShares: [U.areaShares.value[0], U.areaShares.value[1]],
    registeredElsewhereLocalShare: U.registeredElsewhereLocalShare.value,
    dayTable,
    facilities: [...U.facilities.value],
    usualFacilityShare: U.usualFacilityShare.value,
    maxEncounters: Math.min(U.maxEncounters.value, KEY_SPAN - 1),
    levelMu,
    outSigma,
    pharmacyMu: Math.log(C.pharmacyCost.value) - (outSigma * outSigma) / 2,
    ipMu,
    ipSigma,
    dsMu: Math.log(C.daySurgeryCost.value) - (dsSigma * dsSigma) / 2,
    dsSigma,
    scopeShare: [C.policyScopeShare.value[0], C.policyScopeShare.value[1], C.policyScopeShare.value[2]],
    pharmacyScopeShare: C.pharmacyScopeShare.value,
    inpatientScopeShare: C.inpatientScopeShare.value,
    maxClaimFen: Math.round(C.maxClaimYuan.value * 100),
    expected: {
      encounters,
      outpatient,
      inpatient: cityInpatient,
      daySurgery,
      outpatientSpendYuan: outSpend,
      inpatientCostYuan: ipCost,
      spendingYuan: spending,
      hypertensionByBand: htnExpected,
      agePmf: statusPmf,
      referenceAgePmf: refPmf,
      referenceEncounters: refEncounters,
      referenceSpendingYuan: refSpending,
    },
  };
}

export const AGE_COUNT = AGES;
