/**
 * A real AWS-API server for tests: moto 5's `moto_server`, on a free port of
 * 127.0.0.1, with Lambda set to run without Docker (we only need the control
 * plane). Each caller gets its own server, so state never leaks between test
 * files; stop() ends the whole process group, so no python is left behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // Its own process group: the pyenv shim and python are ended together.
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    await stopChild(child);
  };
  try {
    await waitUntilAnswering(endpoint, child, () => stderr);
    await fetchOk(`${endpoint}/moto-api/config`, {
      method: "POST",
      body: JSON.stringify({ lambda: { use_docker: false } }),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

/**
 * An AWS Query-protocol call (IAM, SQS) without an SDK client: moto does not
 * check signatures and routes by the credential scope's service name.
 */
export async function motoQueryAction(
  endpoint: string,
  service: string,
  params: Record<string, string>,
): Promise<string> {
  return fetchOk(`${endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams(params).toString(),
  });
}

async function fetchOk(url: string, init: RequestInit): Promise<string> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${init.method ?? "GET"} ${url}: HTTP ${response.status} ${text}`);
  return text;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto_server exited before answering: ${stderr()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/config`);
      await response.text();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS} ms: ${stderr()}`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
