/**
 * chain.json written control by control and hash by hash, byte for byte as `JSON.stringify(chain, null, 1)` writes a
 * PackChain: a pack of a year of many controls holds hundreds of thousands of hashes, never as one object or string.
 * Calls come in order: per control `startControl`, its `hash`es, `endControl`; then `end` once.
 */
export function chainJsonWriter(write: (text: string) => Promise<void> | undefined) {
  let controlCount = 0;
  let hashCount = 0;
  return {
    startControl(control: { controlId: string; controlName: string }) {
      hashCount = 0;
      const opening = controlCount === 0 ? '{\n "controls": [\n' : ",\n";
      controlCount += 1;
      return write(
        `${opening}  {\n   "controlId": ${JSON.stringify(control.controlId)},\n   "controlName": ${JSON.stringify(control.controlName)},\n   "hashes": [`,
      );
    },
    hash(hash: string) {
      hashCount += 1;
      return write(`${hashCount === 1 ? "" : ","}\n    ${JSON.stringify(hash)}`);
    },
    endControl(control: { head: string | null; length: number }) {
      return write(
        `${hashCount === 0 ? "]" : "\n   ]"},\n   "head": ${JSON.stringify(control.head)},\n   "length": ${JSON.stringify(control.length)}\n  }`,
      );
    },
    end() {
      return write(controlCount === 0 ? '{\n "controls": []\n}' : "\n ]\n}");
    },
  };
}
