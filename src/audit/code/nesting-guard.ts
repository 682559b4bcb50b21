/**
 * Whether JavaScript/TypeScript source is nested too deeply for oxc-parser.
 * oxc-parser is a native recursive-descent parser: a file of a few thousand
 * nested brackets (20 KB of `(((…)))`) overflows its native stack and kills
 * the whole process with SIGSEGV, which no try/catch sees. So the text is
 * measured first by one linear scan, and a file past the limits is not parsed
 * at all: the audit reports it as a parse-error and goes on.
 *
 * Two measures, both far above real code and far below where the parser
 * crashes (measured on oxc-parser 0.x with Linux's 8 MB main stack: about
 * 5,900 nested parentheses, 2,900 nested object literals, 4,000 nested
 * template literals, 8,000 chained arrows, ternaries or assignments, 28,000
 * chained `!`):
 * - bracket depth: `(`, `[`, `{` and a template literal's `${`;
 * - the longest run of tokens with no bracket, comma or semicolon between
 *   them (`!!!!…`, `a?b:a?b:…`, `a=>a=>…`, `await await …`, `1+1+…`), which
 *   nest without any bracket.
 *
 * The scan skips strings, comments, template text and regular expressions,
 * conservatively: a `/` it cannot tell apart is read as division, and a
 * mistake can only count a bracket inside a regular expression, which moves
 * the measure by a few levels, not thousands.
 */

/** Real code nests tens of levels; the parser crashes past ~2,900 in its worst case. */
export const MAX_BRACKET_DEPTH = 1000;
/** Real code has tens of tokens between commas or brackets; the parser crashes past ~8,000 chained arrows. */
export const MAX_TOKEN_RUN = 2000;

export interface NestingProblem {
  /** Offset in the text where a limit was passed. */
  readonly offset: number;
  readonly message: string;
}

/** Undefined when the text is safe to hand to the parser. */
export function javascriptNestingProblem(text: string): NestingProblem | undefined {
  /** One entry per open bracket: true for a template literal's `${`, whose `}` resumes the template text. */
  const open: boolean[] = [];
  let tokenRun = 0;
  /** Whether a `/` here starts a regular expression (after an operator or an open bracket) rather than dividing. */
  let regexAllowed = true;
  let index = 0;
  const length = text.length;

  const tooDeep = (offset: number): NestingProblem => ({
    offset,
    message: `nested more than ${MAX_BRACKET_DEPTH} brackets deep: not parsed (the parser would overflow its stack)`,
  });

  while (index < length) {
    const char = text[index]!;
    if (char === " " || char === "\t" || char === "\n" || char === "\r") {
      index++;
      continue;
    }
    if (char === "/" && text[index + 1] === "/") {
      const end = text.indexOf("\n", index);
      index = end < 0 ? length : end;
      continue;
    }
    if (char === "/" && text[index + 1] === "*") {
      const end = text.indexOf("*/", index + 2);
      index = end < 0 ? length : end + 2;
      continue;
    }
    if (char === '"' || char === "'") {
      index = skipQuoted(text, index, char);
      tokenRun++;
      regexAllowed = false;
      continue;
    } else if (char === "`" || (char === "}" && open.at(-1) === true)) {
      if (char === "}") open.pop();
      // Template text up to its end or to the next `${`, which opens a bracket.
      const resume = skipTemplateText(text, index + 1);
      index = resume.index;
      if (resume.opensExpression) {
        open.push(true);
        if (open.length > MAX_BRACKET_DEPTH) return tooDeep(index);
        tokenRun = 0;
        regexAllowed = true;
      } else {
        tokenRun++;
        regexAllowed = false;
      }
      continue;
    } else if (char === "(" || char === "[" || char === "{") {
      open.push(false);
      if (open.length > MAX_BRACKET_DEPTH) return tooDeep(index);
      tokenRun = 0;
      regexAllowed = true;
    } else if (char === ")" || char === "]" || char === "}") {
      open.pop();
      tokenRun = 0;
      regexAllowed = char !== ")" && char !== "]";
    } else if (char === "," || char === ";") {
      tokenRun = 0;
      regexAllowed = true;
    } else if (char === "/" && regexAllowed) {
      index = skipRegex(text, index);
      tokenRun++;
      regexAllowed = false;
      continue;
    } else if (isWordChar(char)) {
      const start = index;
      while (index < length && isWordChar(text[index]!)) index++;
      const word = text.slice(start, index);
      tokenRun++;
      // After a keyword like `return` or `typeof`, a `/` starts a regular expression.
      regexAllowed = KEYWORDS_BEFORE_EXPRESSION.has(word);
      if (tokenRun > MAX_TOKEN_RUN) return tooLong(start);
      continue;
    } else {
      // An operator character; `++`/`--` and `=>` count per character, which only
      // makes the run longer, never shorter.
      tokenRun++;
      regexAllowed = true;
    }
    if (tokenRun > MAX_TOKEN_RUN) return tooLong(index);
    index++;
  }
  return undefined;
}

function tooLong(offset: number): NestingProblem {
  return {
    offset,
    message: `more than ${MAX_TOKEN_RUN} tokens chained with no bracket, comma or semicolon between them: not parsed (the parser would overflow its stack)`,
  };
}

const KEYWORDS_BEFORE_EXPRESSION = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

function isWordChar(char: string): boolean {
  const code = char.charCodeAt(0);
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36 ||
    code > 127
  );
}

/** The index after a '…' or "…" string (or the line's end: an unterminated string ends there). */
function skipQuoted(text: string, start: number, quote: string): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index]!;
    if (char === "\\") index += 2;
    else if (char === quote) return index + 1;
    else if (char === "\n") return index;
    else index++;
  }
  return index;
}

/** From inside template text: the index after its closing backtick, or after a `${`. */
function skipTemplateText(
  text: string,
  start: number,
): { index: number; opensExpression: boolean } {
  let index = start;
  while (index < text.length) {
    const char = text[index]!;
    if (char === "\\") index += 2;
    else if (char === "`") return { index: index + 1, opensExpression: false };
    else if (char === "$" && text[index + 1] === "{")
      return { index: index + 2, opensExpression: true };
    else index++;
  }
  return { index, opensExpression: false };
}

/**
 * The index after a regular expression literal starting at `start`. A regular
 * expression cannot span lines: without a closing `/` on this line it was a
 * division after all, and only the `/` is skipped.
 */
function skipRegex(text: string, start: number): number {
  let index = start + 1;
  let inClass = false;
  while (index < text.length) {
    const char = text[index]!;
    if (char === "\n" || char === "\r") return start + 1;
    if (char === "\\") index += 2;
    else if (char === "[") {
      inClass = true;
      index++;
    } else if (char === "]") {
      inClass = false;
      index++;
    } else if (char === "/" && !inClass) {
      index++;
      while (index < text.length && isWordChar(text[index]!)) index++; // flags
      return index;
    } else index++;
  }
  return start + 1;
}
