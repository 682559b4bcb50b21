/**
 * The folder, in the project the user runs us in, where lambda-optimizer keeps
 * its state: the emulator's logs, tune journals (for `tune --recover`) and
 * saved tune runs. One name, so every reader and writer agrees on it.
 */
export const STATE_FOLDER = ".lambda-optimizer";
