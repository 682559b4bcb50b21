/** A command a message tells the user to run, quoted so it can be pasted into a POSIX shell as is. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellWord).join(" ");
}

/** One word, single-quoted when it holds anything a shell would read specially. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
