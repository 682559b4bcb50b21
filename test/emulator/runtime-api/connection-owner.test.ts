/** Who holds the client end of a loopback connection: the /proc and lsof readings. */
import { connect, createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import {
  connectionOwner,
  lsofShowsConnection,
  socketInodes,
} from "../../../src/emulator/runtime-api/connection-owner.js";

describe("socketInodes", () => {
  it("finds the client end: local port the client's, remote port ours", () => {
    const table = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:2329 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11111 1 0",
      "   1: 0100007F:2329 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 22222 1 0",
      "   2: 0100007F:D431 0100007F:2329 01 00000000:00000000 00:00000000 00000000     0        0 33333 1 0",
      "   3: 0100007F:D432 0100007F:2329 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0",
    ].join("\n");
    // 0x2329 = 9001 (ours), 0xD431 = 54321 (the client's)
    expect([...socketInodes([table], { clientPort: 54321, serverPort: 9001 })]).toEqual(["33333"]);
    expect(socketInodes([table], { clientPort: 54322, serverPort: 9001 }).size).toBe(0);
  });
});

describe("lsofShowsConnection", () => {
  it("reads lsof -Fn name lines", () => {
    const output = "p4242\nf7\nn127.0.0.1:54321->127.0.0.1:9001\n";
    expect(lsofShowsConnection(output, { clientPort: 54321, serverPort: 9001 })).toBe(true);
    expect(lsofShowsConnection(output, { clientPort: 54321, serverPort: 9002 })).toBe(false);
    expect(lsofShowsConnection("", { clientPort: 54321, serverPort: 9001 })).toBe(false);
  });
});

describe.runIf(process.platform === "linux")("connectionOwner on Linux", () => {
  it("says this process owns its own connection, and another pid does not", async () => {
    const accepted: Socket[] = [];
    const server = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const client = connect(port, "127.0.0.1");
    await new Promise((resolve) => client.on("connect", resolve));
    try {
      const ends = { clientPort: client.localPort!, serverPort: port };
      expect(await connectionOwner(ends, [process.pid])).toBe("owned");
      expect(await connectionOwner(ends, [process.ppid])).toBe("foreign");
      expect(await connectionOwner({ clientPort: 1, serverPort: port }, [process.pid])).toBe(
        "foreign",
      );
    } finally {
      client.destroy();
      for (const socket of accepted) socket.destroy();
      server.close();
    }
  });
});
