/**
 * An upload problem's message in Chinese for the clerk's pages. The validator and the CSV reader
 * write English messages (the API's field messages); each known shape is given here in Chinese
 * with the metric named by its Chinese name. A message of an unknown shape stays as written.
 */
import type { MetricCatalogue } from './catalogue.ts';

type Rule = [RegExp, (m: RegExpExecArray, name: (code: string) => string) => string];

const RULES: Rule[] = [
  [/^Not a number: "(.*)" \(use digits/s, (m) => `不是数字：“${m[1]}”（只填数字，不要千位分隔符或单位）`],
  [/^Must be a whole number, not (.+)$/, (m) => `必须是整数，不能是 ${m[1]}`],
  [/^Must be between (.+) and (.+), not (.+)$/, (m) => `必须在 ${m[1]} 到 ${m[2]} 之间，不能是 ${m[3]}`],
  [/^Missing value \(enter 0/, () => '缺少数值（没有发生时填 0）'],
  [/^Missing value for (\S+) \(enter 0/, (m, name) => `缺少“${name(m[1] as string)}”的数值（没有发生时填 0）`],
  [/^Missing column (\S+) \(/, (m, name) => `缺少“${name(m[1] as string)}”列（没有发生时填 0）`],
  [/^Team id is missing$/, () => '缺少团队编号'],
  [/^Team (.+) is not a team of this institution$/, (m) => `团队编号 ${m[1]} 不是本机构的团队`],
  [/^Team (.+) is listed twice \(first on row (\d+)\)$/, (m) => `团队 ${m[1]} 出现了两次（第一次在第 ${m[2]} 行）`],
  [/^(\S+) \((.+)\) exceeds (\S+) \((.+)\)$/, (m, name) => `“${name(m[1] as string)}”（${m[2]}）超过了“${name(m[3] as string)}”（${m[4]}）`],
  [/^(\S+) needs its denominator (?:column )?(\S+) too$/, (m, name) => `“${name(m[1] as string)}”需要同时填写“${name(m[2] as string)}”`],
  [/^"(.+)" is derived from the contract registry/, (m, name) => `“${name(m[1] as string)}”由签约登记自动计算，不需要上传`],
  [/^"(.+)" is not a metric code of the district's catalogue$/, (m) => `“${m[1]}”不是本区的服务数据指标`],
  [/^The upload has no rows$/, () => '上传的文件没有数据行'],
  [/^The file is empty/, () => '文件是空的；第一行应为表头'],
  [/^Missing column teamId/, () => '缺少“团队编号”列'],
  [/^Column (\S+) has no name$/, (m) => `第 ${m[1]} 列没有列名`],
  [/^Column (.+) appears twice$/, (m, name) => `“${name(m[1] as string)}”列出现了两次`],
  [/^The row has (\d+) of (\d+) cells; missing (.+)$/, (m) => `该行只有 ${m[1]} 个单元格（应有 ${m[2]} 个）；缺少 ${m[3]}`],
  [/^The row has (\d+) cell\(s\) beyond the header's (\d+) columns$/, (m) => `该行比表头的 ${m[2]} 列多出 ${m[1]} 个单元格`],
  [/^The file is not UTF-8 text/, () => '文件不是 UTF-8 编码；请另存为“CSV UTF-8（逗号分隔）”后重新上传'],
  [/^A quoted cell is never closed/, () => '有一个带引号的单元格没有结束（双引号个数为奇数）'],
  [/^A double quote in the middle of a cell/, () => '单元格中间有双引号；请给整个单元格加引号，并把其中的双引号写两遍'],
];

export function uploadProblemText(message: string, lang: 'zh' | 'en', catalogue: MetricCatalogue): string {
  if (lang === 'en') return message;
  const names = new Map(catalogue.definitions.map((d) => [d.code, d.name.zh]));
  const name = (code: string) => names.get(code) ?? code;
  for (const [pattern, text] of RULES) {
    const match = pattern.exec(message);
    if (match) return text(match, name);
  }
  return message;
}

/** A column of the upload as the clerk's template names it. */
export function uploadColumnName(column: string | undefined, lang: 'zh' | 'en', catalogue: MetricCatalogue): string {
  if (column === undefined) return '';
  if (column === 'teamId') return lang === 'zh' ? '团队编号' : 'Team ID';
  const definition = catalogue.definitions.find((d) => d.code === column);
  return definition ? definition.name[lang] : column;
}
