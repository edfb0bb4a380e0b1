import type { Writable } from "node:stream";

/** Text written to a stream in chunks of at least `chunkChars`, each waiting for the stream to drain when it must. */
export interface BufferedTextWriter {
  write: (text: string) => Promise<void>;
  /** Writes what is buffered (call before ending the stream). */
  flush: () => Promise<void>;
}

/**
 * Many small writes (an observation each) gathered into few large ones: one `write` per piece would cost a syscall and
 * a chunk header each. A stream that is closed (the client went away) rejects the next write, so a producer holding a
 * database snapshot for it stops at once instead of waiting for a `drain` that never comes.
 */
export function bufferedTextWriter(output: Writable, chunkChars = 64 * 1024): BufferedTextWriter {
  let parts: string[] = [];
  let size = 0;
  const flush = async () => {
    if (output.destroyed) throw new Error("the output stream was closed before the answer was written");
    if (parts.length === 0) return;
    const text = parts.join("");
    parts = [];
    size = 0;
    if (!output.write(text)) await drained(output);
  };
  return {
    flush,
    async write(text) {
      parts.push(text);
      size += text.length;
      if (size >= chunkChars) await flush();
    },
  };
}

function drained(output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      output.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      output.off("drain", onDrain);
      reject(new Error("the output stream was closed before the answer was written"));
    };
    output.once("drain", onDrain);
    output.once("close", onClose);
  });
}
