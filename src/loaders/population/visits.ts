// The visit generator: each person's claims for the year, from the person's own stream
// (seed, id, STREAM.visits), so chunk boundaries don't matter.
//
// Per person: a gamma frailty g (mean 1, shape k by status) scales the outpatient and inpatient
// rates; counts are Poisson given g, so the outpatient count is negative binomial (many with
// none, a few with very many). Each encounter draws setting, level, kind, cost (lognormal by
// level: heavy right tail), policy-scope share, area, flags, facility and day (seasonal). The
// person's claims are then put in date order (ties keep generation order).

import { Rng, STREAM } from "./rng.ts";
import * as cols from "./columns.ts";
import { allocClaims, growClaims, type ClaimColumns, type PersonColumns } from "./columns.ts";
import * as mdl from "./model.ts";
import type { Model } from "./model.ts";

// Imported constants copied into plain locals: module bindings read through getters under some
// loaders (tsx), which is slow in the inner loop.
const AGE_COUNT: number = mdl.AGE_COUNT;
const FACILITY_BLOCK: number = cols.FACILITY_BLOCK;
const PHARMACY_BLOCK: number = cols.PHARMACY_BLOCK;
const NON_DESIGNATED_OFFSET: number = cols.NON_DESIGNATED_OFFSET;
const RETIRED: number = cols.STATUS.retired;
const K_GENERAL: number = cols.KIND.general;
const K_TCM: number = cols.KIND.tcm;
const K_TWO_DISEASE: number = cols.KIND.two_disease;
const K_SPECIAL_EXAM: number = cols.KIND.special_exam;
const K_CHRONIC_SPECIAL: number = cols.KIND.chronic_special;
const K_INPATIENT: number = cols.KIND.inpatient;
const K_DAY_SURGERY: number = cols.KIND.day_surgery;
const S_FACILITY: number = cols.SETTING.facility;
const S_PHARMACY: number = cols.SETTING.pharmacy;
const A_LOCAL: number = cols.AREA.local;
const A_IN_PROVINCE: number = cols.AREA.in_province;
const A_OUT_OF_PROVINCE: number = cols.AREA.out_of_province;
const A_ELSEWHERE: number = cols.AREA.registered_elsewhere;

const INV_2_32 = 1 / 4294967296;
const INV_2_16 = 1 / 65536;
/** Counter indices far beyond any sequential draw, for random-access per-person draws. */
const USUAL_FACILITY_DRAW = 0x7fff0000;


export function generateVisits(model: Model, seed: number, persons: PersonColumns): ClaimColumns {
  const n = persons.count;
  const expected = (1 - model.pRetired) * model.expected.encounters[0] + model.pRetired * model.expected.encounters[1];
  let c = allocClaims(Math.max(1024, Math.ceil(n * expected * 1.15) + 256));
  const rng = new Rng();
  const start = persons.claimStart;
  const dayTable = model.dayTable;
  const day0 = model.yearStartDay;
  const levelCum = model.levelCum;
  const maxFen = model.maxClaimFen;
  const facilities = model.facilities;
  const usualShare = model.usualFacilityShare;
  const [pInProv, pOutProv] = model.areaShares;
  const m = model.maxEncounters + 1;
  const keys = new Int32Array(m);
  const sKind = new Uint8Array(m);
  const sLevel = new Uint8Array(m);
  const sSetting = new Uint8Array(m);
  const sArea = new Uint8Array(m);
  const sAmount = new Int32Array(m);
  const sEligible = new Int32Array(m);
  const sDesignated = new Uint8Array(m);
  const sEmergency = new Uint8Array(m);
  const sPrescription = new Uint8Array(m);
  const sFacility = new Uint32Array(m);
  const usual = [0, 0, 0, 0];
  let len = 0;

  // Model fields as locals (a large object's properties are slower to reach in the hot loop).
  const chronicSpecialShare = model.chronicSpecialShare;
  const designatedShare = model.designatedShare;
  const dispersion = model.dispersion;
  const dsLevelCum = model.dsLevelCum;
  const dsMu = model.dsMu;
  const dsRate = model.dsRate;
  const dsSigma = model.dsSigma;
  const emergencyShare = model.emergencyShare;
  const inpatientScopeShare = model.inpatientScopeShare;
  const ipLevelCum = model.ipLevelCum;
  const ipMu = model.ipMu;
  const ipMult = model.ipMult;
  const ipRate = model.ipRate;
  const ipSigma = model.ipSigma;
  const levelMu = model.levelMu;
  const outRate = model.outRate;
  const outSigma = model.outSigma;
  const pharmacyMu = model.pharmacyMu;
  const pharmacyScopeShare = model.pharmacyScopeShare;
  const pharmacyShare = model.pharmacyShare;
  const prescriptionShare = model.prescriptionShare;
  const registeredElsewhereLocalShare = model.registeredElsewhereLocalShare;
  const scopeShare = model.scopeShare;
  const specialExamLogFactor = model.specialExamLogFactor;
  const specialExamShare = model.specialExamShare;
  const tcmShare = model.tcmShare;
  const twoDiseaseShare = model.twoDiseaseShare;
  const visitMult = model.visitMult;
  for (let i = 0; i < n; i++) {
    start[i] = len;
    const id = persons.id[i];
    rng.reset(seed, id, STREAM.visits);
    const s = persons.status[i] === RETIRED ? 1 : 0;
    const age = persons.age[i];
    const dz = persons.diseases[i];
    const reg = persons.twoDiseases[i];
    const chronic = persons.chronic[i] === 1;
    const elsewhere = persons.registeredElsewhere[i] === 1;

    // Counts.
    const k = dispersion[s];
    const frailty = rng.gamma(k) / k;
    let mOut = 1;
    let mIp = 1;
    if (dz & 1) {
      mOut *= visitMult[0];
      mIp *= ipMult[0];
    }
    if (dz & 2) {
      mOut *= visitMult[1];
      mIp *= ipMult[1];
    }
    if (chronic) {
      mOut *= visitMult[2];
      mIp *= ipMult[2];
    }
    let nOut = rng.poisson(outRate[s * AGE_COUNT + age] * mOut * frailty);
    let nIp = rng.poisson(ipRate[s * AGE_COUNT + age] * mIp * frailty);
    let nDs = rng.poisson(dsRate[s] * frailty);
    let total = nOut + nIp + nDs;
    if (total > model.maxEncounters) {
      nIp = Math.min(nIp, model.maxEncounters);
      nDs = Math.min(nDs, model.maxEncounters - nIp);
      nOut = model.maxEncounters - nIp - nDs;
      total = model.maxEncounters;
    }
    if (total === 0) continue;
    if (len + total > c.person.length) {
      c.length = len;
      c = growClaims(c, Math.ceil((len + total) * 1.5) + 1024);
    }
    for (let l = 0; l < 4; l++) usual[l] = Math.floor((rng.at(USUAL_FACILITY_DRAW + l) + 0.5) * INV_2_32 * facilities[l]);

    const pPharm = pharmacyShare[s];
    const c1 = levelCum[2 * age];
    const c2 = levelCum[2 * age + 1];
    let level3 = 0;

    for (let j = 0; j < total; j++) {
      let kind: number;
      let level: number;
      let setting: number = S_FACILITY;
      let emergency = 0;
      let prescription = 0;
      let mu: number;
      let sigma: number;
      let scopeMean: number;
      let designated: number;
      let block: number;
      // Two 16-bit uniforms per 32-bit draw where 1/65 536 resolution is plenty.
      const d1 = rng.nextU32();
      const u1 = ((d1 >>> 16) + 0.5) * INV_2_16;
      const u2 = ((d1 & 0xffff) + 0.5) * INV_2_16;
      const d2 = rng.nextU32();
      const u3 = ((d2 >>> 16) + 0.5) * INV_2_16;
      const u4 = ((d2 & 0xffff) + 0.5) * INV_2_16;

      if (j < nOut) {
        if (u1 < pPharm) {
          // Pharmacy purchase: prescribing facility's level with an external prescription, else level 1.
          setting = S_PHARMACY;
          prescription = u3 < prescriptionShare ? 1 : 0;
          level = prescription ? (u2 < c1 ? 0 : u2 < c2 ? 1 : 2) : 0;
          kind = reg !== 0 && u4 < twoDiseaseShare ? K_TWO_DISEASE : K_GENERAL;
          mu = pharmacyMu;
          sigma = outSigma;
          scopeMean = pharmacyScopeShare;
          block = PHARMACY_BLOCK;
          level3 = 3;
        } else {
          // Outpatient facility visit.
          level = u2 < c1 ? 0 : u2 < c2 ? 1 : 2;
          mu = levelMu[level];
          sigma = outSigma;
          scopeMean = scopeShare[level];
          // u3 picks the kind by cumulative shares (special exam, two-disease, chronic overflow, TCM).
          const pSe = specialExamShare[level];
          const pTd = reg !== 0 ? (1 - pSe) * twoDiseaseShare : 0;
          const pCs = chronic ? (1 - pSe - pTd) * chronicSpecialShare : 0;
          const pTcm = (1 - pSe - pTd - pCs) * tcmShare[level];
          if (u3 < pSe) {
            kind = K_SPECIAL_EXAM;
            mu += specialExamLogFactor;
          } else if (u3 < pSe + pTd) kind = K_TWO_DISEASE;
          else if (u3 < pSe + pTd + pCs) kind = K_CHRONIC_SPECIAL;
          else if (u3 < pSe + pTd + pCs + pTcm) kind = K_TCM;
          else kind = K_GENERAL;
          emergency = u4 < emergencyShare[level] ? 1 : 0;
          block = (level + 1) * FACILITY_BLOCK;
          level3 = level;
        }
      } else if (j < nOut + nIp) {
        kind = K_INPATIENT;
        level = u2 < ipLevelCum[0] ? 0 : u2 < ipLevelCum[1] ? 1 : 2;
        mu = ipMu[s];
        sigma = ipSigma;
        scopeMean = inpatientScopeShare;
        block = (level + 1) * FACILITY_BLOCK;
        level3 = level;
      } else {
        kind = K_DAY_SURGERY;
        level = u2 < dsLevelCum[0] ? 0 : u2 < dsLevelCum[1] ? 1 : 2;
        mu = dsMu;
        sigma = dsSigma;
        scopeMean = inpatientScopeShare;
        block = (level + 1) * FACILITY_BLOCK;
        level3 = level;
      }
      const amount = Math.exp(mu + sigma * rng.normal());
      let eligibleShare = 1 - (1 - scopeMean) * rng.exp1();
      if (eligibleShare < 0) eligibleShare = 0;

      // Designated, facility (usual one or another), area, day.
      const d3 = rng.nextU32();
      const u5 = ((d3 >>> 16) + 0.5) * INV_2_16;
      const u6 = ((d3 & 0xffff) + 0.5) * INV_2_16;
      const d4 = rng.nextU32();
      const u7 = ((d4 >>> 16) + 0.5) * INV_2_16;
      designated = u5 < designatedShare[setting] ? 1 : 0;
      let facility = block + (u6 < usualShare ? usual[level3] : Math.floor(u7 * facilities[level3]));
      if (designated === 0) facility += NON_DESIGNATED_OFFSET;
      const ua = ((d4 & 0xffff) + 0.5) * INV_2_16;
      let area: number;
      if (elsewhere) area = ua < registeredElsewhereLocalShare ? A_LOCAL : A_ELSEWHERE;
      else area = ua < pInProv ? A_IN_PROVINCE : ua < pInProv + pOutProv ? A_OUT_OF_PROVINCE : A_LOCAL;
      // Day: seasonal; a chronic scheme's overflow comes late in the year (later of two days).
      const d5 = rng.nextU32();
      let day = dayTable[d5 >>> 16];
      if (kind === K_CHRONIC_SPECIAL) {
        const d2nd = dayTable[d5 & 0xffff];
        if (d2nd > day) day = d2nd;
      }

      let fen = Math.round(amount * 100);
      if (fen < 1) fen = 1;
      else if (fen > maxFen) fen = maxFen;
      sKind[j] = kind;
      sLevel[j] = level;
      sSetting[j] = setting;
      sArea[j] = area;
      sAmount[j] = fen;
      sEligible[j] = Math.round(fen * eligibleShare);
      sDesignated[j] = designated;
      sEmergency[j] = emergency;
      sPrescription[j] = prescription;
      sFacility[j] = facility;
      keys[j] = (day << 16) | j;
    }
    // Out in date order (ties keep generation order): keys are day·65 536 + generation index.
    if (total > 1) sortKeys(keys, total);
    for (let q = 0; q < total; q++) {
      const key = keys[q];
      const j = key & 0xffff;
      const r = len + q;
      c.person[r] = id;
      c.day[r] = day0 + (key >>> 16);
      c.kind[r] = sKind[j];
      c.level[r] = sLevel[j];
      c.setting[r] = sSetting[j];
      c.area[r] = sArea[j];
      c.amountFen[r] = sAmount[j];
      c.eligibleFen[r] = sEligible[j];
      c.designated[r] = sDesignated[j];
      c.emergency[r] = sEmergency[j];
      c.prescription[r] = sPrescription[j];
      c.facility[r] = sFacility[j];
    }
    len += total;
  }
  start[n] = len;
  c.length = len;
  return c;
}

/** Sorts keys[0 … n − 1] ascending (insertion sort for the usual short lists). */
function sortKeys(keys: Int32Array, n: number): void {
  if (n > 32) {
    keys.subarray(0, n).sort();
    return;
  }
  for (let j = 1; j < n; j++) {
    const v = keys[j];
    let q = j - 1;
    while (q >= 0 && keys[q] > v) {
      keys[q + 1] = keys[q];
      q--;
    }
    keys[q + 1] = v;
  }
}
