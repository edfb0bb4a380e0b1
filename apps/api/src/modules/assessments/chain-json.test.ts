import { describe, expect, it } from "vitest";
import type { PackChain } from "@status/verify-pack/pack-format";
import { chainJsonWriter } from "./chain-json.ts";

async function streamed(chain: PackChain): Promise<string> {
  const parts: string[] = [];
  const writer = chainJsonWriter((text) => {
    parts.push(text);
    return undefined;
  });
  for (const control of chain.controls) {
    await writer.startControl(control);
    for (const hash of control.hashes) await writer.hash(hash);
    await writer.endControl(control);
  }
  await writer.end();
  return parts.join("");
}

describe("chainJsonWriter", () => {
  it("writes what JSON.stringify(chain, null, 1) writes, for no control, empty and full segments", async () => {
    const chains: PackChain[] = [
      { controls: [] },
      { controls: [{ controlId: "c1", controlName: 'Only "quoted"\nname', hashes: [], head: null, length: 0 }] },
      {
        controls: [
          { controlId: "c1", controlName: "First", hashes: ["a".repeat(64)], head: "a".repeat(64), length: 7 },
          { controlId: "c2", controlName: "Second", hashes: [], head: "f".repeat(64), length: 3 },
          {
            controlId: "c3",
            controlName: "Third ü",
            hashes: ["b".repeat(64), "c".repeat(64)],
            head: "c".repeat(64),
            length: 2,
          },
        ],
      },
    ];
    for (const chain of chains) expect(await streamed(chain)).toBe(JSON.stringify(chain, null, 1));
  });
});
