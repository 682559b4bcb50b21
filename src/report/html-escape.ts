/** Putting untrusted text into HTML: element content, attribute values and inline JSON. */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Safe in element content and in quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * JSON for a `<script type="application/json">` element. The HTML parser ends the element at the
 * first "</script" whatever JSON means, so every "<" (and ">" and "&", for good measure) is
 * written as a \u escape, which JSON.parse reads back as the same character. U+2028 and U+2029
 * are escaped too: valid in JSON, they were line breaks to older JavaScript parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
