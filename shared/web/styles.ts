/** Styles of the staff pages (finance, reports, error pages): wider main column, tables, status badges, form fields. */
export const STAFF_CSS = `
main{max-width:1120px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:8px 16px}
.grid div{display:flex;flex-direction:column}
.grid dt{color:#57606a;font-size:.85rem}.grid dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table{font-size:.92rem}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-size:.85rem;font-weight:600;vertical-align:middle}
.badge.draft{background:#fff4ce;color:#6b4e00}.badge.approved{background:#dafbe1;color:#116329}.badge.closed{background:#e5e7eb;color:#333}
.neg{color:#b42318}.pos{color:#116329}
details summary{cursor:pointer;color:#0b5f58}
form.inline{display:inline}
label.field{display:flex;flex-direction:column;gap:4px;margin:0 0 10px;font-weight:600}
label.field input,label.field select,label.field textarea{font:inherit;font-weight:400;padding:8px;border:1px solid #d0d7de;border-radius:6px}
.fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:0 16px}
.actions{display:flex;gap:12px;flex-wrap:wrap}
button.secondary{background:#fff;color:#0b5f58;border:2px solid #0b5f58}
svg text{font:12px system-ui,sans-serif;fill:#1b1f24}
.chart{overflow-x:auto}
nav.crumbs{margin:0 0 8px;font-size:.9rem}
td.team{min-width:9em}td.gate{min-width:5em}
.scroll{overflow-x:auto}
table.fees td,table.fees th{white-space:nowrap;padding:2px 6px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
ul.plain{margin:0;padding-left:1.1em}
.checks{display:flex;flex-wrap:wrap;gap:6px 18px}
a:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible,button:focus-visible
{outline:3px solid #f4b400;outline-offset:2px}
.error{color:#b42318}
`;
