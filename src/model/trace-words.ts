// A trace step (./explain.ts) in words, Chinese or English. The English words are the contract's
// `trace` lines, unchanged since the calculator first printed them (tests and users match on them);
// the Chinese say the same for the page in Chinese, with the articles as the texts have them.
import type { CapGrowth, CapId, RatePart, TraceStep } from "./explain.ts";
import { formatBp, formatFen } from "./money.ts";
import type { Area, BenefitId, ClaimFlag, Exclusion } from "./types.ts";
import { refZh } from "./ref-words.ts";

export type Lang = "zh" | "en";

/** A step in both languages. */
export function stepWords(s: TraceStep): { zh: string; en: string } {
  return { zh: stepText(s, "zh"), en: stepText(s, "en") };
}

export function stepText(s: TraceStep, lang: Lang): string {
  return lang === "zh" ? zh(s) : en(s);
}

// ---- English (the contract's trace) -------------------------------------------------------------

const EXCLUSION_EN: Record<Exclusion, string> = {
  inpatient: "inpatient stay (住院): not outpatient pooling",
  day_surgery: "day surgery (日间手术): not outpatient pooling",
  non_designated: "non-designated facility (非定点): not paid",
  temporary_out_of_area: "temporary visit outside the city (临时外出就医): not paid",
  no_prescription: "pharmacy purchase without an external prescription (外配处方): not paid",
  no_account_mode: "pool-only member without an individual account (单建统筹): no general outpatient benefit",
  chronic_special_self_pay: "self-pay left by the chronic/special disease benefit (门诊慢特病): not eligible for general pooling",
  no_general_pooling: "no general outpatient pooling (普通门诊统筹) in this scheme",
  not_covered: "no benefit of this scheme pays this kind of claim",
  during_stay: "during an inpatient stay or day surgery (住院期间, person.stays): no general outpatient pooling",
  work_injury: "flagged work_injury: payable by the work-injury insurance fund (应当从工伤保险基金中支付): not paid",
  third_party: "flagged third_party: borne by a third party (应当由第三人负担): not paid",
  public_health: "flagged public_health: borne by public health (应当由公共卫生负担): not paid",
  wellness: "flagged wellness: fitness, wellness or a health check-up (体育健身、养生保健消费、健康体检): not paid",
  no_card: "flagged no_card: settled without the social-security card or e-voucher (未持医保电子凭证或社会保障卡): not paid",
  arrears_period: "flagged arrears_period: during contribution arrears or a waiting period (欠费期间、待遇等待期): not paid",
  other_not_payable: "flagged other_not_payable: otherwise outside the fund's scope (其它不符合统筹基金支付范围): not paid",
  not_chosen_facility: "at a facility other than the person's chosen or signed one (非选定定点, 选定/签约定点医疗机构以外): not paid",
  chronic_scheme: "two-disease drugs of a patient registered for the chronic/special-disease scheme (门诊慢特病): that scheme pays, not outpatient pooling",
};

const BENEFIT_EN: Record<BenefitId, string> = {
  general: "general outpatient pooling 普通门诊统筹",
  tcm: "TCM outpatient 中医门诊",
  two_disease: "two-disease drugs 两病门诊用药",
  special_exam: "special examinations and treatments 门诊特殊检查治疗",
};

/** [the cap when it binds, the cap when it does not]. */
const CAP_EN: Record<CapId, [string, string]> = {
  general: ["general 普通门诊", "general"],
  twoDisease: ["two diseases 两病", "two diseases"],
  pharmacy: ["pharmacy purchases 定点零售药店购药", "pharmacy purchases"],
};

const fen = formatFen;
const bp = formatBp;
const refsEn = (refs: string[]) => refs.join("; ");
const ro = (retired: boolean) => (retired ? "retired" : "active");

function ratePartEn(p: RatePart): string {
  switch (p.part) {
    case "base":
      return p.community ? `${bp(p.bp)} (community health centre, ${ro(p.retired)})` : `${bp(p.bp)} (level ${p.level}, ${ro(p.retired)})`;
    case "age":
      return `${p.bp > 0 ? "+" : ""}${bp(p.bp)} age ${p.fromAge}+ — ${p.ref}`;
    case "old_worker":
      return `+${bp(p.bp)} old worker 建国前老工人`;
    case "not_chosen":
      return `${bp(p.bp)} away from the chosen facility 非选定定点 — ${p.ref}`;
    case "area":
      return `${bp(p.bp)} ${p.area} — ${p.ref}`;
  }
}

function growthEn(g: CapGrowth | null, cap: CapId): string {
  if (!g || cap !== "general") return "";
  const years = g.years === null ? "contributionYears not given: no" : `${g.years}`;
  return g.step > 0 ? ` (grown by ${fen(g.addFen)} for ${years} contribution years 缴费年限 — ${g.ref})` : ` (${years} contribution years 缴费年限: below the first step, ${g.fromYears} — ${g.ref})`;
}

function en(s: TraceStep): string {
  switch (s.step) {
    case "excluded": {
      const when = s.stay ? ` — the stay ${s.stay.from} to ${s.stay.to}` : s.emergencyArea ? ` — an emergency, but the rule for ${s.emergencyArea} makes no emergency exception` : "";
      return `${EXCLUSION_EN[s.exclusion]}${when}${s.refs.length ? ` — ${refsEn(s.refs)}` : ""}`;
    }
    case "benefit":
      return `benefit: ${BENEFIT_EN[s.benefit]}${s.refs.length ? ` — ${refsEn(s.refs)}` : ""}`;
    case "flag":
      return s.paid ? `flag ${s.flag}: paid as any claim — ${refsEn(s.refs)}` : `flag ${s.flag}: this scheme's text sets no rule for it; paid as any claim`;
    case "status":
      return (
        `status: ${s.status === "retired" ? "retired 退休" : s.status === "flexible" ? "flexible 灵活就业 (active rates)" : "active 在职"}` +
        `; level ${s.level}${s.pharmacy ? ` (pharmacy 定点零售药店${s.prescribingLevel ? ", prescribing facility's level" : ""} — ${refsEn(s.refs)})` : ""}` +
        `; eligible 政策范围内 ${fen(s.eligibleFen)} of ${fen(s.amountFen)}`
      );
    case "age_band":
      return `age band 年龄段: ${s.age !== null ? `age ${s.age} on the claim's date` : "birthDate not given"}, band ${s.band >= 0 ? `${s.fromAge}+` : `under ${s.fromAge}`} — ${refsEn(s.refs)}`;
    case "facility_type":
      return (
        `facility type 社区卫生服务中心 (community health centre): ` +
        (s.applies === "pharmacy_level"
          ? `a pharmacy purchase reads the fixed pharmacy level's rates — ${refsEn(s.refs)}`
          : s.applies === "own"
            ? `its own ${[s.rate ? "rate" : "", s.deductible ? "deductible" : ""].filter(Boolean).join(" and ")} — ${refsEn(s.refs)}`
            : "this benefit sets no rate or deductible of its own there: as at a hospital")
      );
    case "account_first":
      return (
        `account first 账户先付 (自负段): the individual account pays ${fen(s.paidFen)} of the eligible cost first` +
        `${s.balanceEmpty ? " (balance empty or not tracked)" : ""}; ${fen(s.restFen)} left for the deductible and the rate — ${refsEn(s.refs)}`
      );
    case "deductible": {
      const ref = `${refsEn(s.refs)}${s.basis === "community" ? " (community health centre)" : s.basis === "age" ? ` (age ${s.fromAge}+)` : ""}`;
      if (s.mechanism === "annual")
        return (
          `deductible 起付标准: annual ${fen(s.amountFen)}${s.pool !== "general" ? ` (own ${s.pool} pool)` : ""}` +
          `${s.perFacility ? ` per facility${s.facility ? ` #${s.facility}` : ""}` : ""}, met before ${fen(s.metBeforeFen)}, this claim ${fen(s.claimFen)} — ${ref}`
        );
      if (s.mechanism === "per_visit") return `deductible 起付标准: ${fen(s.amountFen)} per visit at level ${s.level}, this claim ${fen(s.claimFen)} — ${ref}`;
      return `deductible 起付标准: none — ${ref}`;
    }
    case "rate": {
      const clamp = s.unclampedBp !== s.bp ? ` (${bp(s.unclampedBp)}, held within 0–100%)` : "";
      return `rate 支付比例: ${s.parts.map(ratePartEn).join(" ")} = ${bp(s.bp)}${clamp} — ${refsEn(s.refs)}`;
    }
    case "payment":
      return `(${fen(s.restFen)} − ${fen(s.deductibleFen)}) × ${bp(s.bp)} = ${fen(s.rawFen)} (rounded half-up to the fen)`;
    case "per_visit_cap":
      return `per-visit cap 单次最高支付: ${fen(s.capFen)}${s.reached ? ` — pays ${fen(s.capFen)}` : ", not reached"} — ${refsEn(s.refs)}`;
    case "cap": {
      const ref = refsEn(s.refs) + growthEn(s.growth, s.cap);
      return s.reached ? `cap 年度最高支付限额 (${CAP_EN[s.cap][0]}): ${fen(s.roomFen)} left — pays ${fen(s.roomFen)} — ${ref}` : `cap (${CAP_EN[s.cap][1]}): ${fen(s.roomFen)} left, not reached — ${ref}`;
    }
    case "no_cap":
      return `cap: outside the general cap — ${refsEn(s.refs)}`;
    case "account":
      return `individual account 个人账户: pays ${fen(s.paidFen)} of the self-pay, balance after ${fen(s.balanceAfterFen)}${s.openingGiven ? "" : " (opening balance not given: 0)"}`;
    case "second_payment":
      return (
        `second payment 大额医疗费用补助二次支付: compliant self-burden on these outpatient claims ${fen(s.burdenFen)}, ` +
        `threshold ${fen(s.thresholdFen)}, rate ${bp(s.bp)}${s.capFen === null ? ", no cap" : `, cap ${fen(s.capFen)}`} — ${refsEn(s.refs)}; ` +
        `settled after the year; not deducted from the claims' outOfPocket (inpatient self-burden also counts in reality)`
      );
  }
}

// ---- Chinese --------------------------------------------------------------------------------------

const EXCLUSION_ZH: Record<Exclusion, string> = {
  inpatient: "住院：不属于门诊统筹",
  day_surgery: "日间手术：不属于门诊统筹",
  non_designated: "非定点医疗机构：不予支付",
  temporary_out_of_area: "临时外出就医：不予支付",
  no_prescription: "在定点零售药店购药但无外配处方：不予支付",
  no_account_mode: "单建统筹人员（无个人账户）：不享受普通门诊统筹待遇",
  chronic_special_self_pay: "门诊慢特病待遇之外的自付费用：不纳入普通门诊统筹",
  no_general_pooling: "本方案没有普通门诊统筹",
  not_covered: "本方案没有支付此类费用的待遇",
  during_stay: "住院或日间手术期间：不享受普通门诊统筹",
  work_injury: "标记为工伤：应当从工伤保险基金中支付，不予支付",
  third_party: "标记为第三人负担：应当由第三人负担，不予支付",
  public_health: "标记为公共卫生：应当由公共卫生负担，不予支付",
  wellness: "标记为健身保健：体育健身、养生保健消费、健康体检，不予支付",
  no_card: "标记为未持卡：未持医保电子凭证或社会保障卡结算，不予支付",
  arrears_period: "标记为欠费期：欠费期间、待遇等待期，不予支付",
  other_not_payable: "标记为其它：其它不符合统筹基金支付范围的费用，不予支付",
  not_chosen_facility: "在选定（签约）定点医疗机构以外就医：不予支付",
  chronic_scheme: "已纳入门诊慢特病管理的两病患者用药：由门诊慢特病待遇支付，不走门诊统筹",
};

const BENEFIT_ZH: Record<BenefitId, string> = {
  general: "普通门诊统筹",
  tcm: "中医门诊",
  two_disease: "两病门诊用药",
  special_exam: "门诊特殊检查治疗",
};

const FLAG_ZH: Record<ClaimFlag, string> = {
  work_injury: "工伤",
  third_party: "第三人负担",
  public_health: "公共卫生",
  wellness: "健身保健体检",
  no_card: "未持卡结算",
  arrears_period: "欠费期或等待期",
  other_not_payable: "其它不予支付情形",
};

export const AREA_ZH: Record<Area, string> = {
  local: "本地",
  in_province: "省内异地",
  out_of_province: "跨省异地",
  registered_elsewhere: "异地长期居住（已备案）",
};

const CAP_ZH: Record<CapId, string> = { general: "普通门诊", twoDisease: "两病", pharmacy: "定点零售药店购药" };
const POOL_ZH: Record<string, string> = { general: "普通门诊", tcm: "中医门诊" };
const LEVEL_ZH = ["", "一级及以下", "二级", "三级"];

export const yuan = (f: number) => `${fen(f)}元`;
const level = (n: number) => `${LEVEL_ZH[n] ?? `${n}级`}医疗机构`;
const sz = (retired: boolean) => (retired ? "退休" : "在职");
export { refZh };
/** "；依据：article；article" — nothing when there is no article. */
export const basis = (refs: string[]) => (refs.length ? `；依据：${refs.map(refZh).join("；")}` : "");
const signed = (b: number) => `${b > 0 ? "+" : ""}${bp(b)}`;

function ratePartZh(p: RatePart): string {
  switch (p.part) {
    case "base":
      return `${bp(p.bp)}（${p.community ? "社区卫生服务中心" : level(p.level)}，${sz(p.retired)}）`;
    case "age":
      return `${signed(p.bp)}（${p.fromAge}岁及以上${p.ref ? `，${refZh(p.ref)}` : ""}）`;
    case "old_worker":
      return `+${bp(p.bp)}（建国前老工人）`;
    case "not_chosen":
      return `${signed(p.bp)}（非选定定点${p.ref ? `，${refZh(p.ref)}` : ""}）`;
    case "area":
      return `${signed(p.bp)}（${AREA_ZH[p.area]}就医${p.ref ? `，${refZh(p.ref)}` : ""}）`;
  }
}

function growthZh(g: CapGrowth | null, cap: CapId): string {
  if (!g || cap !== "general") return "";
  const years = g.years === null ? "未填累计缴费年限" : `累计缴费年限 ${g.years} 年`;
  return g.step > 0 ? `（${years}，限额提高 ${yuan(g.addFen)}${basis([g.ref])}）` : `（${years}，未达到首档 ${g.fromYears} 年${basis([g.ref])}）`;
}

function zh(s: TraceStep): string {
  switch (s.step) {
    case "excluded": {
      const when = s.stay ? `（住院期间 ${s.stay.from} 至 ${s.stay.to}）` : s.emergencyArea ? `（虽为急诊，但${AREA_ZH[s.emergencyArea]}就医的规定无急诊例外）` : "";
      return `${EXCLUSION_ZH[s.exclusion]}${when}${basis(s.refsZh ?? s.refs)}`;
    }
    case "benefit":
      return `支付待遇：${BENEFIT_ZH[s.benefit]}${basis(s.refs)}`;
    case "flag":
      return s.paid ? `标记“${FLAG_ZH[s.flag]}”：按一般费用支付${basis(s.refs)}` : `标记“${FLAG_ZH[s.flag]}”：本方案文本对此未作规定，按一般费用支付`;
    case "status":
      return (
        `人员类别：${s.status === "retired" ? "退休" : s.status === "flexible" ? "灵活就业（按在职比例）" : "在职"}；${level(s.level)}` +
        `${s.pharmacy ? `（在定点零售药店购药${s.prescribingLevel ? "，按开具处方的医疗机构级别" : ""}${basis(s.refs)}）` : ""}` +
        `；政策范围内费用 ${yuan(s.eligibleFen)}（总费用 ${yuan(s.amountFen)}）`
      );
    case "age_band":
      return `年龄段：${s.age !== null ? `就诊日 ${s.age} 岁` : "未填出生日期"}，属${s.band >= 0 ? `${s.fromAge}岁及以上` : `${s.fromAge}岁以下`}年龄段${basis(s.refs)}`;
    case "facility_type":
      return (
        "机构类型（社区卫生服务中心）：" +
        (s.applies === "pharmacy_level"
          ? `定点零售药店购药按固定的药店级别比例${basis(s.refs)}`
          : s.applies === "own"
            ? `执行其自有的${[s.rate ? "支付比例" : "", s.deductible ? "起付标准" : ""].filter(Boolean).join("和")}${basis(s.refs)}`
            : "本待遇未单设社区的支付比例或起付标准，与医院相同")
      );
    case "account_first":
      return `账户先付（自负段）：个人账户先支付政策范围内费用 ${yuan(s.paidFen)}${s.balanceEmpty ? "（账户余额为零或未跟踪）" : ""}；余下 ${yuan(s.restFen)} 计算起付标准和支付比例${basis(s.refs)}`;
    case "deductible": {
      const which = s.basis === "community" ? "（社区卫生服务中心）" : s.basis === "age" ? `（${s.fromAge}岁及以上）` : "";
      if (s.mechanism === "annual")
        return (
          `起付标准${which}：年度 ${yuan(s.amountFen)}${s.pool !== "general" ? `（${POOL_ZH[s.pool] ?? s.pool}单独累计）` : ""}` +
          `${s.perFacility ? `，按医疗机构分别累计${s.facility ? `（机构 #${s.facility}）` : ""}` : ""}，此前已累计 ${yuan(s.metBeforeFen)}，本次计入 ${yuan(s.claimFen)}${basis(s.refs)}`
        );
      if (s.mechanism === "per_visit") return `起付标准${which}：${level(s.level)}每次 ${yuan(s.amountFen)}，本次计入 ${yuan(s.claimFen)}${basis(s.refs)}`;
      return `起付标准：无${basis(s.refs)}`;
    }
    case "rate": {
      const clamp = s.unclampedBp !== s.bp ? `（合计 ${bp(s.unclampedBp)}，限定在0–100%之内）` : "";
      return `支付比例：${s.parts.map(ratePartZh).join(" ")} = ${bp(s.bp)}${clamp}${basis(s.refs)}`;
    }
    case "payment":
      return `（${fen(s.restFen)} − ${fen(s.deductibleFen)}）× ${bp(s.bp)} = ${yuan(s.rawFen)}（按分四舍五入）`;
    case "per_visit_cap":
      return `单次最高支付限额：${yuan(s.capFen)}${s.reached ? `，本次支付 ${yuan(s.capFen)}` : "，未达到"}${basis(s.refs)}`;
    case "cap":
      return `年度最高支付限额（${CAP_ZH[s.cap]}）：尚余 ${yuan(s.roomFen)}${s.reached ? `，本次支付 ${yuan(s.roomFen)}` : "，未达到"}${basis(s.refs)}${growthZh(s.growth, s.cap)}`;
    case "no_cap":
      return `不计入普通门诊年度最高支付限额${basis(s.refs)}`;
    case "account":
      return `个人账户：支付个人自付部分 ${yuan(s.paidFen)}，支付后余额 ${yuan(s.balanceAfterFen)}${s.openingGiven ? "" : "（未填年初余额，按0计）"}`;
    case "second_payment":
      return (
        `大额医疗费用补助二次支付：本年这些门诊的合规自付 ${yuan(s.burdenFen)}，起付标准 ${yuan(s.thresholdFen)}，支付比例 ${bp(s.bp)}` +
        `${s.capFen === null ? "，不设封顶" : `，封顶 ${yuan(s.capFen)}`}${basis(s.refs)}；年度结束后结算，不从各次就诊的个人自付中扣除（实际中住院合规自付也一并计算）`
      );
  }
}
