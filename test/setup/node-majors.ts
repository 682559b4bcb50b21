/** Which Node.js majors the tests run functions on, beside the one running the tests. */

export const HOST_NODE_MAJOR = Number(process.versions.node.split(".")[0]);

/**
 * A Lambda Node.js major this process is not, which the emulator must fetch: 22, the default
 * runtime of a handler file, unless the tests run on Node.js 22 themselves. The test setup
 * fetches it once, before any test runs.
 */
export const OTHER_NODE_MAJOR = HOST_NODE_MAJOR === 22 ? 24 : 22;
