// A policy's or scenario's problem in both languages. The policy checker's messages travel as plain
// strings — through zod (one message string per issue), `path: message` lines and PolicyError — so a
// message written in both languages is one string holding both halves between control marks,
// `bi(en, zh)`; `english(line)` and `chinese(line)` take any line apart, whatever prefix was put
// before the message on the way. The command line prints `english` (its words unchanged); the pages
// in Chinese show `chinese`. zod's own messages (a wrong type, a number too big …) are said in both
// languages from the issue's data (`issueMessage`).
import type { z } from "zod";

const OPEN = "\u0002";
const MID = "\u001f";
const CLOSE = "\u0003";
const PAIR = /\u0002([^\u001f\u0003]*)\u001f([^\u0003]*)\u0003/g;

/** A message in both languages, as one string. */
export const bi = (en: string, zh: string): string => `${OPEN}${en}${MID}${zh}${CLOSE}`;
/** The line in English (as the command line prints it). */
export const english = (line: string): string => line.replace(PAIR, "$1");
/** The line in Chinese: each bilingual message's Chinese half (a message only in English stays so). */
export const chinese = (line: string): string => line.replace(PAIR, "$2");

const TYPE_ZH: Record<string, string> = {
  string: "文字",
  int: "整数",
  number: "数字",
  boolean: "true 或 false",
  object: "对象",
  array: "列表",
  record: "对象",
  date: "日期",
};

/** zod's own issue (no message of the schema's) in both languages, from its data. */
export function issueMessage(i: z.core.$ZodIssue): string {
  if (i.message.includes(OPEN)) return i.message;
  switch (i.code) {
    case "unrecognized_keys": {
      const keys = i.keys.map((k) => `"${k}"`);
      return bi(`unknown key${i.keys.length > 1 ? "s" : ""} ${keys.join(", ")}`, `未知的键 ${keys.join("、")}`);
    }
    case "invalid_type":
      return bi(i.message, `${/received undefined/.test(i.message) ? "必填，" : ""}应为${TYPE_ZH[i.expected] ?? i.expected}`);
    case "too_big":
    case "too_small": {
      const big = i.code === "too_big";
      const limit = big ? (i as { maximum: unknown }).maximum : (i as { minimum: unknown }).minimum;
      const incl = (i as { inclusive?: boolean }).inclusive !== false;
      const what = i.origin === "array" ? `项数${big ? (incl ? "不超过" : "少于") : incl ? "不少于" : "多于"} ${String(limit)}` : i.origin === "string" ? `长度${big ? "不超过" : "不少于"} ${String(limit)} 个字符` : `${big ? (incl ? "不大于" : "小于") : incl ? "不小于" : "大于"} ${String(limit)}`;
      return bi(i.message, `应${what}`);
    }
    case "invalid_value":
      return bi(i.message, `应为以下之一：${i.values.map((v) => JSON.stringify(v)).join("、")}`);
    case "invalid_format":
      return bi(i.message, "格式不符");
    case "not_multiple_of":
      return bi(i.message, i.divisor === 1 ? "应为整数" : `应为 ${i.divisor} 的倍数`);
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
    case "custom":
      return bi(i.message, "取值不符合要求");
  }
  return (i as { message: string }).message;
}
