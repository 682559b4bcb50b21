/** Text the reports share, beside src/format.ts's numbers, money, percentages and durations. */

// C0 and C1 controls and DEL: terminal escapes in text that came from the user's function.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * One line, at most `length` characters: an error message can be a whole stack trace, and comes
 * from the user's code, so its control characters (terminal escapes) are dropped too.
 */
export function oneLine(text: string, length: number): string {
  const flat = text.replace(/\s+/g, " ").replace(CONTROL_CHARACTERS, "").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

/** "2026-03-14 09:26 UTC": the same in every locale and time zone the report is opened in. */
export function formatUtcTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
