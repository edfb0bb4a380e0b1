import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { bufferedTextWriter } from "./buffered-text-writer.ts";

/** A sink that takes every chunk into `received` but calls back only when `release` is called (a slow client). */
function slowSink(highWaterMark: number) {
  const received: string[] = [];
  const pending: (() => void)[] = [];
  const sink = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      received.push(chunk);
      pending.push(() => callback());
    },
  });
  return { sink, received, release: () => pending.splice(0).forEach((callback) => callback()) };
}

describe("buffered text writer", () => {
  it("gathers small writes into chunks of the given size and writes the rest on flush", async () => {
    const { sink, received, release } = slowSink(1024 * 1024);
    const writer = bufferedTextWriter(sink, 10);
    for (const piece of ["abc", "def", "ghij", "k", "lm"]) await writer.write(piece);
    release();
    await writer.flush();
    expect(received).toEqual(["abcdefghij", "klm"]);
  });

  it("waits for the stream to drain, and rejects when it closes instead", async () => {
    const { sink, release } = slowSink(4);
    const writer = bufferedTextWriter(sink, 4);
    const first = writer.write("12345");
    let isSettled = false;
    void first.then(() => (isSettled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(isSettled).toBe(false);
    release();
    await first;

    const second = writer.write("67890");
    sink.destroy();
    await expect(second).rejects.toThrow(/closed/);
    await expect(writer.write("more than four")).rejects.toThrow(/closed/);
  });
});
