/**
 * A streaming Function URL in Debian's Chromium: a page served by one Function URL opens an
 * EventSource on another (RESPONSE_STREAM, its Cors allowing the page's origin) and receives every
 * token and [DONE], as a browser client of an LLM token streamer does.
 */
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Emulator } from "../../src/emulator/emulator.js";
import { ensureChromium } from "../setup/ensure-chromium.js";
import { fixture, stateDir } from "./emulator-fixtures.js";

const emulator = new Emulator({
  stateDir: stateDir(),
  functions: [
    fixture("function-url/index.mjs:page", { name: "page" }),
    fixture("function-url/index.mjs:sse", { name: "sse" }),
    fixture("function-url/index.mjs:sse", { name: "sse-without-cors" }),
  ],
});
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: await ensureChromium(),
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await emulator.stop();
});

it("receives every token and [DONE] through EventSource, across origins by the URL's Cors", async () => {
  const page = await emulator.functionUrls.create("page", undefined, {
    authType: "NONE",
    invokeMode: "BUFFERED",
  });
  const pageOrigin = new URL(page.url).origin;
  const stream = await emulator.functionUrls.create("sse", undefined, {
    authType: "NONE",
    invokeMode: "RESPONSE_STREAM",
    cors: { AllowOrigins: [pageOrigin], AllowMethods: ["GET"] },
  });
  const text = "Tokens reach the page one event at a time";
  const source = `${stream.url}?text=${encodeURIComponent(text)}`;
  const tab = await browser.newPage();
  const errors: string[] = [];
  tab.on("pageerror", (error) => errors.push(error.message));
  tab.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await tab.goto(`${page.url}?stream=${encodeURIComponent(source)}`);
  await tab.waitForFunction(() => (window as { sseDone?: string[] }).sseDone !== undefined, null, {
    timeout: 60_000,
  });
  const received = await tab.evaluate(() => (window as { sseDone?: string[] }).sseDone);
  expect(received).toEqual([...text.split(" "), "[DONE]"]);
  expect(await tab.locator("#tokens li").allTextContents()).toEqual([...text.split(" "), "[DONE]"]);
  expect(errors).toEqual([]);
  await tab.close();
});

it("is refused when the streaming URL's Cors does not allow the page's origin", async () => {
  const page = emulator.functionUrls.get("page");
  const stream = await emulator.functionUrls.create("sse-without-cors", undefined, {
    authType: "NONE",
    invokeMode: "RESPONSE_STREAM",
  });
  const tab = await browser.newPage();
  await tab.goto(`${page.url}?stream=${encodeURIComponent(stream.url)}`);
  await tab.waitForFunction(() => (window as { sseError?: boolean }).sseError === true, null, {
    timeout: 60_000,
  });
  expect(await tab.locator("#tokens li").count()).toBe(0);
  await tab.close();
});
