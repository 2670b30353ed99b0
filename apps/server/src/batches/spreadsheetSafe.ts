/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"): `=`, `+`,
 * `-`, `@`, and a leading tab or carriage return, which some spreadsheets skip before looking.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV cell a spreadsheet shows as text: a cell that could start a formula gets a single quote
 * in front (OWASP's advice), which spreadsheets hide and which keeps `=HYPERLINK(...)` in a
 * record's name from running on the machine of whoever opens the export. Quoting and escaping
 * of the cell itself is the CSV writer's job.
 */
export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
