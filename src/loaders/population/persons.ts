// The population generator: persons of one chunk, columnar. Person i's attributes come from
// its own stream (seed, id, STREAM.person) with a fixed sequence of draws, so they do not depend
// on chunk boundaries.

import { Rng, STREAM } from "./rng.ts";
import { allocPersons, ageBandCode, NO_DAY, STATUS, type PersonColumns } from "./columns.ts";
import { AGE_COUNT, monthStartDay, retirementMonth, type Model } from "./model.ts";
import { expectedInpatientFen } from "./expected-inpatient.ts";

function sampleAge(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = AGE_COUNT - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function generatePersons(model: Model, seed: number, firstId: number, count: number): PersonColumns {
  const p = allocPersons(firstId, count);
  const rng = new Rng();
  const Y = model.year;
  const yearStart = model.yearStartDay;
  const floor = model.baseFloorFen;
  const cap = model.baseCapFen;
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    rng.reset(seed, id, STREAM.person);
    // 1–4: status group, sex, retirement type
    const retired = rng.next() < model.pRetired;
    const s = retired ? 1 : 0;
    const female = rng.next() < model.femaleShare[s];
    const uType = rng.next();
    const t = female ? (uType < model.womenWorkersShare ? 2 : 1) : 0;
    const g = s * 3 + t;
    // 5–7: age, birth month within the ages compatible with the status, day of month
    const age = sampleAge(model.ageCdf[g], rng.next());
    const lo = model.monthLo[g][age];
    const hi = model.monthHi[g][age];
    const month = lo + Math.floor(rng.next() * (hi - lo + 1));
    const birthYear = Y - age;
    const bm = birthYear * 12 + month;
    const m0 = monthStartDay(bm);
    const dim = monthStartDay(bm + 1) - m0;
    const birthDay = m0 + Math.floor(rng.next() * dim);
    // 8: flexible worker
    const flexible = !retired && rng.next() < model.flexibleShare;
    if (retired) rng.next();
    // 9: account mode
    const uAcc = rng.next();
    const hasAccount = flexible ? (uAcc < model.flexibleWithAccountShare ? 1 : 0) : 1;
    const retiredOn = retired ? monthStartDay(retirementMonth(model, t, bm) + 1) : NO_DAY;
    // 10–11: contribution base (for whoever contributed during the year)
    const zBase = rng.normal();
    const uFloor = rng.next();
    let base = 0;
    if (!retired || retiredOn > yearStart) {
      if (flexible && uFloor < model.flexibleAtFloorShare) base = floor;
      else {
        base = Math.round(Math.exp(model.baseMu + model.baseSigma * zBase)) * 100;
        if (base < floor) base = floor;
        else if (base > cap) base = cap;
      }
    }
    // 12: pension
    const zPension = rng.normal();
    const pension = retired ? Math.round(Math.exp(model.pensionMu + model.pensionSigma * zPension) * 100) : 0;
    // 13–19: hypertension, diabetes (present, diagnosed, registered), chronic/special status
    const htn = rng.next() < model.htnP[age];
    const htnReg = rng.next() < model.htnDiagnosed && rng.next() < model.registeredShare;
    const dm = rng.next() < model.dmP[age];
    const uDmDx = rng.next();
    const uDmReg = rng.next();
    const dmReg = uDmDx < model.dmDiagnosed && uDmReg < model.registeredShare;
    const chronic = rng.next() < model.chronicP[age];
    // 20–21: old worker (Jinan), filed residence elsewhere
    const oldWorker = retired && birthYear <= model.oldWorkerBornBy && rng.next() < model.oldWorkerShare;
    const elsewhere = rng.next() < model.registeredElsewhereShare[s];

    p.id[i] = id;
    p.status[i] = retired ? STATUS.retired : flexible ? STATUS.flexible : STATUS.active;
    p.sex[i] = female ? 1 : 0;
    p.birthDay[i] = birthDay;
    p.retiredOnDay[i] = retiredOn;
    p.hasAccount[i] = hasAccount;
    p.oldWorker[i] = oldWorker ? 1 : 0;
    p.diseases[i] = (htn ? 1 : 0) | (dm ? 2 : 0);
    p.twoDiseases[i] = (htn && htnReg ? 1 : 0) | (dm && dmReg ? 2 : 0);
    p.chronic[i] = chronic ? 1 : 0;
    p.registeredElsewhere[i] = elsewhere ? 1 : 0;
    p.contributionBaseFen[i] = base;
    p.pensionFen[i] = pension;
    p.inpatientExpectedFen[i] = expectedInpatientFen(model, retired, age, p.diseases[i], chronic);
    p.age[i] = age;
    p.ageBand[i] = ageBandCode(age);
  }
  return p;
}
